import { Form, Input, Modal, Radio, Select } from 'antd';
import type { ConsentOverview, RecordConsent, StudentProfile } from '../../api/types';

import { VnDatePicker } from '../../components/lazy-date-picker';
import { vi } from '../../i18n/vi';
import { isoToday } from '../../../../domain/index';

const t = vi.privacy;
type Item = ConsentOverview['items'][number];

type PaperValues = { purpose: RecordConsent['purpose']; action: 'give' | 'withdraw'; who: string; effectiveDate: string; note?: string };

/** A consent given or withdrawn on paper, recorded by the school (loaded only when opened). */
export function PaperConsentModal(props: { open: boolean; onClose: () => void; student: StudentProfile; items: Item[]; pending: boolean; onSubmit: (body: RecordConsent) => void }) {
  const [form] = Form.useForm<PaperValues>();
  const givers = [
    ...props.student.guardians.map((g) => ({ value: `g:${g.id}`, label: `${g.fullName} (${vi.relations[g.relation] ?? g.relation})` })),
    { value: 'student', label: `${t.theStudent}: ${props.student.fullName}` },
  ];
  return (
    <Modal
      open={props.open}
      title={`${t.recordPaper}: ${props.student.fullName}`}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      okText={vi.common.confirm}
      cancelText={vi.common.cancel}
      confirmLoading={props.pending}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ action: 'give', effectiveDate: isoToday() }}
        onFinish={(v) =>
          props.onSubmit({
            purpose: v.purpose,
            action: v.action,
            giver: v.who === 'student' ? 'student' : 'guardian',
            guardianId: v.who.startsWith('g:') ? v.who.slice(2) : undefined,
            effectiveDate: v.effectiveDate,
            note: v.note?.trim() || undefined,
          })
        }
      >
        <Form.Item name="purpose" label={t.purpose} rules={[{ required: true }]}>
          <Select options={props.items.filter((i) => i.basis === 'consent').map((i) => ({ value: i.purpose, label: i.label }))} />
        </Form.Item>
        <Form.Item name="action" label={t.action}>
          <Radio.Group options={[{ value: 'give', label: t.give }, { value: 'withdraw', label: t.withdraw }]} />
        </Form.Item>
        <Form.Item name="who" label={t.giver} rules={[{ required: true }]}>
          <Select options={givers} />
        </Form.Item>
        <Form.Item name="effectiveDate" label={t.signedOn} rules={[{ required: true }]}>
          <VnDatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="note" label={vi.common.note}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
