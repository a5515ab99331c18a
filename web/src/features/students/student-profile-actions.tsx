import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, Modal, Select } from 'antd';
import { lazy, Suspense } from 'react';
import { api, errorText } from '../../api/client';
import { useCodeList } from '../../api/hooks';
import type { ChangeStatus, StudentProfile, TransferClass } from '../../api/types';

import { VnDatePicker } from '../../components/lazy-date-picker';
import { foldSearch } from '../../components/select-search';
import { vi } from '../../i18n/vi';
import { StudentFormModal, useClassOptions } from './student-forms';
import { isoToday } from '../../../../domain/index';

// The transfer dialog (steps, number inputs) loads only once asked for.
const IssueTransferModal = lazy(async () => ({ default: (await import('../transfers/transfer-dialogs')).IssueTransferModal }));

const t = vi.profile;

export type ProfileDialog = 'edit' | 'move' | 'status' | 'transfer' | null;

/**
 * The dialogs staff change a record with (edit, class transfer, status, school transfer). Their own
 * module, loaded by the profile only for someone who may change it: forms, selects and date
 * pickers are not part of what a parent downloads to read the profile.
 */
export function StudentProfileDialogs({ schoolId, student, open, onClose }: { schoolId: string; student: StudentProfile; open: ProfileDialog; onClose: () => void }) {
  return (
    <Suspense fallback={null}>
      <StudentFormModal schoolId={schoolId} open={open === 'edit'} onClose={onClose} student={student} />
      <TransferClassModal schoolId={schoolId} student={student} open={open === 'move'} onClose={onClose} />
      <ChangeStatusModal schoolId={schoolId} student={student} open={open === 'status'} onClose={onClose} />
      {open === 'transfer' ? <IssueTransferModal schoolId={schoolId} student={student} open onClose={onClose} /> : null}
    </Suspense>
  );
}

/** A change of class or of status: the route under the student and the body it takes. */
type StudentChange = { path: 'transfer-class'; body: TransferClass } | { path: 'status'; body: ChangeStatus };

function useStudentMutation(schoolId: string, studentId: string, onDone: () => void) {
  const qc = useQueryClient();
  const { message } = App.useApp();
  return useMutation({
    mutationFn: ({ path, body }: StudentChange) => api.post<StudentProfile, StudentChange['body']>(`/schools/${schoolId}/students/${studentId}/${path}`, body),
    onSuccess: () => {
      message.success(vi.common.saved);
      void qc.invalidateQueries({ queryKey: ['student', schoolId, studentId] });
      void qc.invalidateQueries({ queryKey: ['students', schoolId] });
      void qc.invalidateQueries({ queryKey: ['classes', schoolId] });
      onDone();
    },
    onError: (e) => message.error(errorText(e)),
  });
}

function TransferClassModal({ schoolId, student, open, onClose }: { schoolId: string; student: StudentProfile; open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<{ toClassId: string; effectiveDate: string; note?: string }>();
  const m = useStudentMutation(schoolId, student.id, onClose);
  const { options, loading } = useClassOptions(schoolId);
  return (
    <Modal
      open={open}
      title={`${t.transferClass}: ${student.fullName}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={vi.common.confirm}
      cancelText={vi.common.cancel}
      confirmLoading={m.isPending}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ effectiveDate: isoToday() }}
        requiredMark={false}
        onFinish={(v) => m.mutate({ path: 'transfer-class', body: { ...v, note: v.note?.trim() || undefined } })}
      >
        <Form.Item name="toClassId" label={t.toClass} rules={[{ required: true }]}>
          <Select showSearch={foldSearch} loading={loading} options={options.filter((o) => o.value !== student.classId)} />
        </Form.Item>
        <Form.Item name="effectiveDate" label={vi.common.effectiveDate} rules={[{ required: true }]}>
          <VnDatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="note" label={vi.common.note}>
          <Input.TextArea rows={2} maxLength={300} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ChangeStatusModal({ schoolId, student, open, onClose }: { schoolId: string; student: StudentProfile; open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<{ statusCode: string; effectiveDate: string; note?: string }>();
  const m = useStudentMutation(schoolId, student.id, onClose);
  const statuses = useCodeList('DM_TRANG_THAI_HOC_SINH');
  return (
    <Modal
      open={open}
      title={`${t.changeStatus}: ${student.fullName}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={vi.common.confirm}
      cancelText={vi.common.cancel}
      confirmLoading={m.isPending}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ effectiveDate: isoToday() }}
        requiredMark={false}
        onFinish={(v) => m.mutate({ path: 'status', body: { ...v, note: v.note?.trim() || undefined } })}
      >
        <Form.Item name="statusCode" label={t.newStatus} rules={[{ required: true }]}>
          <Select
            loading={statuses.isLoading}
            options={(statuses.data ?? []).filter((x) => x.code !== student.statusCode).map((x) => ({ value: x.code, label: x.name }))}
          />
        </Form.Item>
        <Form.Item name="effectiveDate" label={vi.common.effectiveDate} rules={[{ required: true }]}>
          <VnDatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="note" label={vi.common.note}>
          <Input.TextArea rows={2} maxLength={300} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
