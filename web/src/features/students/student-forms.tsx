import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Col, Form, Input, InputNumber, Modal, Row, Select } from 'antd';
import { useEffect } from 'react';
import { FIELD_LABELS as L } from '../../../../contracts/field-labels';
import { ZCreateStudent, ZGuardian } from '../../../../contracts/students';
import { api, errorText } from '../../api/client';
import { useClasses, useCodeList } from '../../api/hooks';
import type { CreateStudent, StudentProfile, UpdateStudent } from '../../api/types';

import { foldSearch } from '../../components/select-search';
import { contractRule, dateOfBirthRule, fieldErrorsOf } from '../../components/field-rules';
import { VnDatePicker } from '../../components/lazy-date-picker';
import { vi } from '../../i18n/vi';
import { isoToday } from '../../../../domain/index';

const t = vi.students;
const rule = {
  fullName: contractRule(ZCreateStudent.shape.fullName, { required: true }),
  learnerId: contractRule(ZCreateStudent.shape.learnerId),
  citizenId: contractRule(ZCreateStudent.shape.citizenId),
  registerNumber: contractRule(ZCreateStudent.shape.registerNumber),
  guardianName: contractRule(ZGuardian.shape.fullName, { required: true }),
  guardianPhone: contractRule(ZGuardian.shape.phone),
  guardianEmail: contractRule(ZGuardian.shape.email),
};

type GuardianValues = { id?: string; relation: 'father' | 'mother' | 'guardian'; fullName: string; phone?: string; email?: string; occupation?: string; birthYear?: number | null };
type StudentValues = {
  fullName: string;
  dateOfBirth: string;
  sex: 'male' | 'female';
  ethnicityCode: string;
  learnerId?: string;
  citizenId?: string;
  registerNumber?: string;
  birthplace?: string;
  address?: string;
  classId?: string;
  admissionDate?: string;
  guardians: GuardianValues[];
};

const blankToNull = (s?: string | null) => (s && s.trim() ? s.trim() : null);

export function useClassOptions(schoolId: string, year?: number | null) {
  const classes = useClasses(schoolId, year ?? undefined);
  return {
    loading: classes.isLoading,
    classes: classes.data ?? [],
    options: (classes.data ?? []).map((c) => ({ value: c.id, label: c.name, grade: c.grade })),
  };
}

/** Add a student (with class and guardians) or edit one (class changes go through "Chuyển lớp"). */
export function StudentFormModal({
  schoolId,
  open,
  onClose,
  student,
  onSaved,
}: {
  schoolId: string;
  open: boolean;
  onClose: () => void;
  student?: StudentProfile;
  onSaved?: (id: string) => void;
}) {
  const [form] = Form.useForm<StudentValues>();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const ethnicities = useCodeList('DM_DAN_TOC');
  const { options: classOptions, classes, loading: classesLoading } = useClassOptions(schoolId);
  const editing = !!student;
  // The class the age is checked against: the one chosen (new student) or the current one (edit).
  const placedIn = () => {
    const id = student ? student.classId : (form.getFieldValue('classId') as string | undefined);
    return classes.find((c) => c.id === id);
  };

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (student) {
      form.setFieldsValue({
        fullName: student.fullName,
        dateOfBirth: student.dateOfBirth,
        sex: student.sex,
        ethnicityCode: student.ethnicityCode,
        learnerId: student.learnerId ?? undefined,
        citizenId: student.citizenId ?? undefined,
        registerNumber: student.registerNumber ?? undefined,
        birthplace: student.birthplace ?? undefined,
        address: student.address ?? undefined,
        guardians: student.guardians.map((g) => ({ ...g, phone: g.phone ?? undefined, email: g.email ?? undefined, occupation: g.occupation ?? undefined })),
      });
    } else {
      form.setFieldsValue({ sex: 'male', ethnicityCode: '01', admissionDate: isoToday(), guardians: [] });
    }
  }, [open, student, form]);

  const save = useMutation({
    mutationFn: async (v: StudentValues) => {
      const common = {
        fullName: v.fullName.trim(),
        dateOfBirth: v.dateOfBirth,
        sex: v.sex,
        ethnicityCode: v.ethnicityCode,
        learnerId: blankToNull(v.learnerId),
        citizenId: blankToNull(v.citizenId),
        registerNumber: blankToNull(v.registerNumber),
        birthplace: blankToNull(v.birthplace),
        address: blankToNull(v.address),
        guardians: (v.guardians ?? []).map((g) => ({
          ...(g.id ? { id: g.id } : {}),
          relation: g.relation,
          fullName: g.fullName.trim(),
          phone: blankToNull(g.phone),
          email: blankToNull(g.email),
          occupation: blankToNull(g.occupation),
          birthYear: g.birthYear ?? null,
        })),
      };
      if (student) return api.patch<StudentProfile, UpdateStudent>(`/schools/${schoolId}/students/${student.id}`, common);
      return api.post<StudentProfile, CreateStudent>(`/schools/${schoolId}/students`, { ...common, classId: v.classId ?? '', admissionDate: v.admissionDate || undefined });
    },
    onSuccess: (res) => {
      message.success(editing ? vi.common.saved : t.created);
      void qc.invalidateQueries({ queryKey: ['students', schoolId] });
      void qc.invalidateQueries({ queryKey: ['student', schoolId] });
      void qc.invalidateQueries({ queryKey: ['classes', schoolId] });
      onClose();
      onSaved?.(res.id);
    },
    onError: (e) => {
      const inPlace = fieldErrorsOf(e);
      if (inPlace.length > 0) form.setFields(inPlace as Parameters<typeof form.setFields>[0]);
      message.error(errorText(e));
    },
  });

  return (
    <Modal
      open={open}
      title={editing ? vi.profile.editTitle : t.add}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={vi.common.save}
      cancelText={vi.common.cancel}
      confirmLoading={save.isPending}
      width={760}
      forceRender
    >
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)} requiredMark="optional" scrollToFirstError>
        <Row gutter={12}>
          <Col xs={24} md={12}>
            <Form.Item name="fullName" label={L.fullName} required rules={[rule.fullName]}>
              <Input autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="dateOfBirth" label={L.dateOfBirth} required dependencies={['classId']} rules={[dateOfBirthRule(placedIn, { required: true })]}>
              <VnDatePicker style={{ width: '100%' }} keepTypedText />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="sex" label={t.sex} rules={[{ required: true }]}>
              <Select options={[{ value: 'male', label: vi.common.sex.male }, { value: 'female', label: vi.common.sex.female }]} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="ethnicityCode" label={t.ethnicity} rules={[{ required: true }]}>
              <Select
                showSearch={foldSearch}
                loading={ethnicities.isLoading}
                options={(ethnicities.data ?? []).map((e) => ({ value: e.code, label: e.name }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="learnerId" label={t.learnerId} extra={t.learnerIdHelp} rules={[rule.learnerId]}>
              <Input inputMode="numeric" maxLength={10} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="citizenId" label={t.citizenId} rules={[rule.citizenId]}>
              <Input inputMode="numeric" maxLength={12} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="registerNumber" label={L.registerNumber} extra={t.registerNumberHelp} rules={[rule.registerNumber]}>
              <Input maxLength={30} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="birthplace" label={t.birthplace}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="address" label={t.address}>
              <Input />
            </Form.Item>
          </Col>
          {!editing ? (
            <>
              <Col xs={24} md={12}>
                <Form.Item name="classId" label={t.class} rules={[{ required: true }]}>
                  <Select showSearch={foldSearch} loading={classesLoading} options={classOptions} />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name="admissionDate" label={t.admissionDate}>
                  <VnDatePicker style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            </>
          ) : null}
        </Row>
        <Form.List name="guardians">
          {(fields, { add, remove }) => (
            <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
              <legend style={{ fontWeight: 600, fontSize: 14, marginBottom: 8 }}>{t.guardians}</legend>
              {fields.map((f) => (
                <Row gutter={8} key={f.key} align="top" style={{ borderTop: '1px dashed #e5e7eb', paddingTop: 8 }}>
                  <Col xs={10} md={5}>
                    <Form.Item name={[f.name, 'relation']} label={t.relation} rules={[{ required: true }]} initialValue="mother">
                      <Select options={Object.entries(vi.relations).map(([value, label]) => ({ value, label }))} />
                    </Form.Item>
                  </Col>
                  <Col xs={14} md={8}>
                    <Form.Item name={[f.name, 'fullName']} label={t.fullName} required rules={[rule.guardianName]}>
                      <Input />
                    </Form.Item>
                  </Col>
                  <Col xs={20} md={9}>
                    <Form.Item name={[f.name, 'phone']} label={t.phone} rules={[rule.guardianPhone]}>
                      <Input inputMode="tel" />
                    </Form.Item>
                  </Col>
                  <Col xs={4} md={2}>
                    <Form.Item label=" ">
                      <Button aria-label={vi.common.delete} icon={<DeleteOutlined />} onClick={() => remove(f.name)} danger type="text" />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={10}>
                    <Form.Item name={[f.name, 'email']} label={t.email} rules={[rule.guardianEmail]}>
                      <Input inputMode="email" />
                    </Form.Item>
                  </Col>
                  <Col xs={14} md={9}>
                    <Form.Item name={[f.name, 'occupation']} label={t.occupation}>
                      <Input />
                    </Form.Item>
                  </Col>
                  <Col xs={10} md={5}>
                    <Form.Item name={[f.name, 'birthYear']} label={t.birthYear}>
                      <InputNumber min={1930} max={2020} style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                </Row>
              ))}
              {fields.length < 4 ? (
                <Button icon={<PlusOutlined />} onClick={() => add({ relation: fields.length === 0 ? 'father' : 'mother' })} block type="dashed">
                  {t.addGuardian}
                </Button>
              ) : null}
            </fieldset>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
