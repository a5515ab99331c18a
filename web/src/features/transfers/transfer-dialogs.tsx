import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Select } from 'antd';
import { useState } from 'react';
import { api, errorText } from '../../api/client';
import { useClasses } from '../../api/hooks';
import { ZRequestTransfer } from '../../../../contracts/transfers';
import type { AcceptTransfer, CancelTransfer, DeclineTransfer, IssueTransfer, RequestTransfer, TransferDestination, TransferItem } from '../../api/types';
import { contractRule } from '../../components/field-rules';

import { foldSearch } from '../../components/select-search';
import { useDebounced } from '../../components/use-debounced';
import { useDefaultYear } from '../../components/school-year-select';
import { VnDatePicker } from '../../components/lazy-date-picker';
import { vi } from '../../i18n/vi';
import { isoToday } from '../../../../domain/index';

const t = vi.transfers;

/** After any step: the lists, the profiles and the class lists of both schools may have changed. */
function useInvalidate() {
  const qc = useQueryClient();
  return () => {
    for (const key of ['transfers', 'student', 'students', 'classes']) void qc.invalidateQueries({ queryKey: [key] });
  };
}

/** Classes of the school's current year, labelled with their grade ("6A1 (khối 6)"); optionally only some grades. No school, no request. */
function useClassChoices(schoolId: string | null, grades?: number[]) {
  const year = useDefaultYear(schoolId);
  const classes = useClasses(schoolId, year, undefined);
  const all = (classes.data ?? []).filter((c) => year === null || c.year === year);
  const wanted = grades ? all.filter((c) => grades.includes(c.grade)) : all;
  // When no class has the expected grade, offer all of them: the server explains what does not fit.
  const shown = wanted.length ? wanted : all;
  return {
    loading: classes.isLoading,
    options: shown.map((c) => ({ value: c.id, label: t.classOption(c.name, c.grade) })),
  };
}

/** The error of the last attempt, shown inside the dialog (a toast would vanish before it is read). */
function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  return <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 12 }} data-testid="transfer-error" />;
}

type RequestValues = { learnerId: string; dateOfBirth: string; toClassId: string; effectiveDate: string; note?: string };

/** The receiving school asks for a learner: learner id + date of birth from the paper dossier, the class, the date. */
export function RequestTransferModal({ schoolId, open, onClose }: { schoolId: string; open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<RequestValues>();
  const { message } = App.useApp();
  const invalidate = useInvalidate();
  const { options, loading } = useClassChoices(schoolId);
  const m = useMutation({
    mutationFn: (v: RequestValues) =>
      api.post<TransferItem, RequestTransfer>(`/schools/${schoolId}/transfers/requests`, { ...v, learnerId: v.learnerId.trim(), note: v.note?.trim() || undefined }),
    onSuccess: () => {
      message.success(t.sent);
      invalidate();
      onClose();
    },
  });
  return (
    <Modal
      open={open}
      title={t.requestTitle}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t.send}
      cancelText={vi.common.cancel}
      confirmLoading={m.isPending}
      okButtonProps={{ 'data-testid': 'transfer-request-submit' }}
      destroyOnHidden
      afterOpenChange={(o) => !o && m.reset()}
    >
      <p style={{ color: '#667085', marginTop: 0 }}>{t.requestHelp}</p>
      <ErrorNote error={m.error} />
      <Form form={form} layout="vertical" onFinish={(v) => m.mutate(v)} initialValues={{ effectiveDate: isoToday() }} requiredMark={false}>
        <Form.Item name="learnerId" label={t.learnerId} rules={[{ required: true }, contractRule(ZRequestTransfer.shape.learnerId)]}>
          <Input inputMode="numeric" maxLength={12} autoComplete="off" data-testid="transfer-learner-id" />
        </Form.Item>
        <Form.Item name="dateOfBirth" label={t.dateOfBirth} rules={[{ required: true }]}>
          <VnDatePicker style={{ width: '100%' }} data-testid="transfer-dob" />
        </Form.Item>
        <Form.Item name="toClassId" label={t.toClass} rules={[{ required: true }]}>
          <Select showSearch={foldSearch} loading={loading} options={options} data-testid="transfer-class" />
        </Form.Item>
        <Form.Item name="effectiveDate" label={t.date} rules={[{ required: true }]}>
          <VnDatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="note" label={t.note}>
          <Input.TextArea rows={2} maxLength={300} placeholder={t.notePlaceholder} data-testid="transfer-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type IssueValues = { toSchoolId: string; effectiveDate: string; note?: string };

/** The sending school gives one of its learners a transfer letter to a named school (from the profile). */
export function IssueTransferModal({
  schoolId,
  student,
  open,
  onClose,
}: {
  schoolId: string;
  student: { id: string; fullName: string };
  open: boolean;
  onClose: () => void;
}) {
  const [form] = Form.useForm<IssueValues>();
  const { message } = App.useApp();
  const invalidate = useInvalidate();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 250);
  const found = useQuery({
    queryKey: ['transfer-destinations', schoolId, q],
    queryFn: ({ signal }) => api.get<TransferDestination[]>(`/schools/${schoolId}/transfers/destinations`, { q }, signal),
    enabled: open && q.length >= 2,
    staleTime: 60_000,
  });
  const m = useMutation({
    mutationFn: (v: IssueValues) => api.post<TransferItem, IssueTransfer>(`/schools/${schoolId}/transfers/issues`, { ...v, studentId: student.id, note: v.note?.trim() || undefined }),
    onSuccess: () => {
      message.success(t.issued);
      invalidate();
      onClose();
    },
  });
  const levels = (d: TransferDestination) => d.levels.map((l) => vi.schoolLevels[l] ?? l).join(', ');
  return (
    <Modal
      open={open}
      title={`${t.issueTitle}: ${student.fullName}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t.issueSend}
      cancelText={vi.common.cancel}
      confirmLoading={m.isPending}
      destroyOnHidden
      afterOpenChange={(o) => !o && m.reset()}
    >
      <p style={{ color: '#667085', marginTop: 0 }}>{t.issueHelp}</p>
      <ErrorNote error={m.error} />
      <Form form={form} layout="vertical" onFinish={(v) => m.mutate(v)} initialValues={{ effectiveDate: isoToday() }} requiredMark={false}>
        <Form.Item name="toSchoolId" label={t.toSchool} rules={[{ required: true }]}>
          <Select
            showSearch={{ filterOption: false, onSearch: setText }}
            placeholder={t.searchSchool}
            loading={found.isFetching}
            notFoundContent={q.length < 2 ? t.typeMore : found.isFetching ? vi.common.loading : t.noSchool}
            options={(found.data ?? []).map((d) => ({
              value: d.id,
              label: d.name,
              desc: [d.parentName, levels(d)].filter(Boolean).join(' · '),
            }))}
            optionRender={(o) => (
              <div style={{ whiteSpace: 'normal' }}>
                <div>{o.data.label}</div>
                <div style={{ fontSize: 12, color: '#667085' }}>{o.data.desc}</div>
              </div>
            )}
            data-testid="transfer-destination"
          />
        </Form.Item>
        <Form.Item name="effectiveDate" label={t.date} rules={[{ required: true }]}>
          <VnDatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="note" label={t.note}>
          <Input.TextArea rows={2} maxLength={300} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Where each step is sent: the school that decides, accepts or cancels (the server checks again). */
export const deciderSchool = (it: TransferItem) => (it.kind === 'request' ? it.fromSchoolId : it.toSchoolId);
const initiatorSchool = (it: TransferItem) => (it.kind === 'request' ? it.toSchoolId : it.fromSchoolId);

export type Step = { kind: 'approve' | 'accept' | 'decline' | 'cancel'; item: TransferItem };
type StepValues = { reason?: string; toClassId?: string };

/** What each step sends (approving sends nothing); the form has required what a step needs. */
function stepBody(kind: Step['kind'], v: StepValues): AcceptTransfer | DeclineTransfer | CancelTransfer | undefined {
  switch (kind) {
    case 'decline':
      return { reason: v.reason?.trim() ?? '' };
    case 'cancel':
      return { reason: v.reason?.trim() || undefined };
    case 'accept':
      return { toClassId: v.toClassId ?? '' };
    default:
      return undefined;
  }
}

/**
 * One dialog for the four steps on an open transfer; the reason is required to decline. The
 * caller mounts it once per step (keyed), so every step starts with a form of its own; only
 * "accept" asks for the receiving school's classes.
 */
export function TransferStepModal({ step, onClose }: { step: Step; onClose: () => void }) {
  const [form] = Form.useForm<StepValues>();
  const { message } = App.useApp();
  const invalidate = useInvalidate();
  const { item } = step;
  const grades = item.fromGrade !== null ? [item.fromGrade, item.fromGrade + 1] : undefined;
  const classes = useClassChoices(step.kind === 'accept' ? item.toSchoolId : null, grades);
  const m = useMutation({
    mutationFn: (v: StepValues) => {
      const school = step.kind === 'cancel' ? initiatorSchool(item) : deciderSchool(item);
      return api.post<TransferItem, ReturnType<typeof stepBody>>(`/schools/${school}/transfers/${item.id}/${step.kind}`, stepBody(step.kind, v));
    },
    onSuccess: () => {
      message.success({ approve: t.approved, accept: t.accepted, decline: t.declined, cancel: t.cancelled }[step.kind]);
      invalidate();
      onClose();
    },
  });
  const title = {
    approve: t.approveTitle,
    accept: t.acceptTitle(item.fullName),
    decline: t.declineTitle(item.fullName),
    cancel: t.cancelTitle,
  }[step.kind];
  const okText = { approve: t.approve, accept: t.accept, decline: t.decline, cancel: t.cancel }[step.kind];
  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      // Validate and send straight from the button: it does not wait for the form's submit callbacks,
      // which were seen not yet connected right after the dialog opened (the click did nothing).
      onOk={() => void form.validateFields().then((v) => m.mutate(v), () => undefined)}
      okText={okText}
      okButtonProps={{ danger: step.kind === 'decline' || step.kind === 'cancel', 'data-testid': 'transfer-step-submit' }}
      cancelText={step.kind === 'cancel' ? t.keep : vi.common.cancel}
      confirmLoading={m.isPending}
      destroyOnHidden
    >
      <ErrorNote error={m.error} />
      {step.kind === 'approve' ? <p>{t.approveText(item.fullName, item.toSchoolName)}</p> : null}
      {step.kind === 'accept' ? <p>{t.acceptHelp(item.fullName, item.fromSchoolName)}</p> : null}
      <Form form={form} layout="vertical" onFinish={(v) => m.mutate(v)} requiredMark={false}>
        {step.kind === 'accept' ? (
          <Form.Item name="toClassId" label={t.toClass} rules={[{ required: true }]}>
            <Select showSearch={foldSearch} loading={classes.loading} options={classes.options} data-testid="transfer-accept-class" />
          </Form.Item>
        ) : null}
        {step.kind === 'decline' ? (
          <Form.Item
            name="reason"
            label={t.declineReason}
            extra={t.declineReasonHelp}
            rules={[{ required: true, whitespace: true, min: 5, message: t.declineReasonShort }]}
          >
            <Input.TextArea rows={3} maxLength={500} data-testid="transfer-decline-reason" />
          </Form.Item>
        ) : null}
        {step.kind === 'cancel' ? (
          <Form.Item name="reason" label={t.cancelReason}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}
