import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Modal, Select } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { api, errorText } from '../../api/client';
import type { Exemptions, SetExemption } from '../../api/types';
import { ResponsiveList } from '../../components/responsive-list';
import { vi } from '../../i18n/vi';

const t = vi.summer;
type Item = Exemptions['items'][number];
type Scope = 'hk1' | 'hk2' | 'cn';

export const exemptionsKey = (schoolId: string, classId: string) => ['exemptions', schoolId, classId];
const path = (schoolId: string, classId: string) => `/schools/${schoolId}/classes/${classId}/exemptions`;

/**
 * Miễn học (TT22/2021 Điều 11) of a class: who is exempt from which subject, for which term and
 * why; the principal adds or lifts one (the server refuses anyone else). Names, never codes.
 */
export function ExemptionsPanel({ schoolId, classId }: { schoolId: string; classId: string }) {
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const [adding, setAdding] = useState(false);
  const q = useQuery({ queryKey: exemptionsKey(schoolId, classId), queryFn: ({ signal }) => api.get<Exemptions>(path(schoolId, classId), undefined, signal) });
  const save = useMutation({
    mutationFn: (body: SetExemption) => api.put<Exemptions, SetExemption>(path(schoolId, classId), body),
    onSuccess: (data) => {
      qc.setQueryData(exemptionsKey(schoolId, classId), data);
      // The grids of the class show "Miễn" from now on.
      void qc.invalidateQueries({ queryKey: ['gradebook'] });
    },
  });
  const data = q.data;
  const remove = (x: Item) =>
    modal.confirm({
      title: t.removeOf(x.fullName, x.subjectName),
      content: t.removeConfirm(x.fullName, x.subjectName),
      okText: t.remove,
      cancelText: vi.common.cancel,
      onOk: async () => {
        try {
          await save.mutateAsync({ studentId: x.studentId, subjectCode: x.subjectCode, scope: null });
          message.success(t.removed);
        } catch (e) {
          message.error(errorText(e), 8);
        }
      },
    });
  const removeButton = (x: Item) =>
    data?.canEdit ? (
      <Button type="link" size="small" danger onClick={() => void remove(x)} aria-label={t.removeOf(x.fullName, x.subjectName)} data-testid="exemption-remove">
        {t.remove}
      </Button>
    ) : null;
  const columns: TableColumnsType<Item> = [
    { title: t.student, key: 'name', render: (_: unknown, x) => <span className="rs-name">{x.fullName}</span> },
    { title: t.subject, dataIndex: 'subjectName', key: 'subject' },
    { title: t.scope, dataIndex: 'scopeLabel', key: 'scope' },
    { title: t.reason, dataIndex: 'reason', key: 'reason' },
    ...(data?.canEdit ? [{ title: '', key: 'actions', render: (_: unknown, x: Item) => removeButton(x) }] : []),
  ];

  return (
    <div data-testid="exemptions">
      <Alert className="rs-alert" type="info" showIcon title={t.exemptionsIntro} />
      {data && !data.canEdit ? <Alert className="rs-alert" type="info" showIcon title={t.exemptionsReadOnly} /> : null}
      {q.isError ? <Alert className="rs-alert" type="error" showIcon title={errorText(q.error)} /> : null}
      {data?.canEdit ? (
        <div className="rs-toolbar">
          <Button type="primary" onClick={() => setAdding(true)} data-testid="exemption-add">
            {t.add}
          </Button>
        </div>
      ) : null}
      <ResponsiveList<Item>
        size="small"
        bordered
        rowKey={(x) => `${x.studentId}/${x.subjectCode}`}
        loading={q.isLoading}
        columns={columns}
        dataSource={data?.items ?? []}
        pagination={false}
        locale={{ emptyText: t.noExemptions }}
        itemTestId="exemption-card"
        onRow={() => ({ 'data-testid': 'exemption-row' }) as React.HTMLAttributes<HTMLElement>}
        card={(x) => (
          <>
            <span className="card-title">{x.fullName}</span>
            <span>
              {x.subjectName} · {x.scopeLabel}
            </span>
            <span className="rs-note">{x.reason}</span>
          </>
        )}
        cardActions={removeButton}
      />
      {adding && data ? (
        <AddExemption
          data={data}
          pending={save.isPending}
          onCancel={() => setAdding(false)}
          onSave={async (body, names) => {
            try {
              await save.mutateAsync(body);
              message.success(t.saved(names.student, names.subject));
              setAdding(false);
            } catch (e) {
              message.error(errorText(e), 8);
            }
          }}
        />
      ) : null}
    </div>
  );
}

type FormValues = { studentId?: string; subjectCode?: string; scope: Scope; reason?: string };

function AddExemption({ data, pending, onCancel, onSave }: { data: Exemptions; pending: boolean; onCancel: () => void; onSave: (body: SetExemption, names: { student: string; subject: string }) => Promise<void> }) {
  const [form] = Form.useForm<FormValues>();
  return (
    <Modal
      open
      title={t.addTitle}
      okText={t.save}
      cancelText={vi.common.cancel}
      confirmLoading={pending}
      onCancel={onCancel}
      onOk={() => form.submit()}
      destroyOnHidden
      data-testid="exemption-dialog"
    >
      <Form<FormValues>
        form={form}
        layout="vertical"
        initialValues={{ scope: 'cn' }}
        onFinish={(v) =>
          void onSave(
            { studentId: v.studentId ?? '', subjectCode: v.subjectCode ?? '', scope: v.scope, reason: (v.reason ?? '').trim() },
            { student: data.students.find((s) => s.studentId === v.studentId)?.fullName ?? '', subject: data.subjects.find((s) => s.code === v.subjectCode)?.name ?? '' },
          )
        }
      >
        <Form.Item name="studentId" label={t.student} rules={[{ required: true, message: t.needStudent }]}>
          <Select showSearch optionFilterProp="label" options={data.students.map((s) => ({ value: s.studentId, label: s.fullName }))} data-testid="exemption-student" />
        </Form.Item>
        <Form.Item name="subjectCode" label={t.subject} rules={[{ required: true, message: t.needSubject }]}>
          <Select showSearch optionFilterProp="label" options={data.subjects.map((s) => ({ value: s.code, label: s.name }))} data-testid="exemption-subject" />
        </Form.Item>
        <Form.Item name="scope" label={t.scope} rules={[{ required: true }]}>
          <Select options={(['hk1', 'hk2', 'cn'] as const).map((s) => ({ value: s, label: t.scopes[s] }))} data-testid="exemption-scope" />
        </Form.Item>
        <Form.Item name="reason" label={t.reason} rules={[{ required: true, min: 3, whitespace: true, message: t.needReason }]}>
          <Input.TextArea maxLength={500} rows={2} placeholder={t.reasonPlaceholder} data-testid="exemption-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
