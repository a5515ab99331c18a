import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Select } from 'antd';
import { useEffect } from 'react';
import { api, errorText } from '../../api/client';
import type { OrgUnit } from '../../api/types';
import { todayIso } from '../../components/format';
import { UnitSelect } from '../../components/unit-select';
import { VnDatePicker } from '../../components/lazy-date-picker';
import { vi } from '../../i18n/vi';

const t = vi.org;
export type OrgAction = 'add' | 'move' | 'rename' | 'close' | 'merge';

// Mirrors the server's ALLOWED_PARENTS: which kinds may sit under which.
const ALLOWED_PARENTS: Record<string, string[]> = {
  province_office: ['ministry'],
  district_office: ['province_office'],
  commune_office: ['province_office'],
  school: ['province_office', 'district_office', 'commune_office'],
  school_site: ['school'],
};
const childKinds = (parentKind: string) => Object.keys(ALLOWED_PARENTS).filter((k) => ALLOWED_PARENTS[k].includes(parentKind));

type Values = {
  kind?: string;
  name?: string;
  code?: string;
  schoolLevels?: string[];
  ownership?: string;
  area?: string;
  validFrom?: string;
  newParentId?: string;
  targetId?: string;
  effectiveDate?: string;
  reason?: string;
};

const TITLES: Record<OrgAction, string> = { add: t.add, move: t.move, rename: t.rename, close: t.close, merge: t.merge };

export function OrgActionModal({ action, unit, asOf, onClose }: { action: OrgAction | null; unit: OrgUnit; asOf: string; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const kind = Form.useWatch('kind', form);

  useEffect(() => {
    if (!action) return;
    form.resetFields();
    const date = asOf > todayIso() ? asOf : todayIso();
    if (action === 'add') form.setFieldsValue({ kind: childKinds(unit.kind)[0], validFrom: date, schoolLevels: [] });
    else form.setFieldsValue({ effectiveDate: date, name: action === 'rename' ? unit.name : undefined });
  }, [action, unit, asOf, form]);

  const m = useMutation({
    mutationFn: async (v: Values) => {
      const reason = v.reason?.trim() || undefined;
      switch (action) {
        case 'add':
          return api.post('/org-units', {
            kind: v.kind,
            name: v.name?.trim(),
            code: v.code?.trim() || undefined,
            parentId: unit.id,
            schoolLevels: v.schoolLevels ?? [],
            ownership: v.ownership || undefined,
            area: v.area || undefined,
            validFrom: v.validFrom,
          });
        case 'move':
          return api.post(`/org-units/${unit.id}/move`, { newParentId: v.newParentId, effectiveDate: v.effectiveDate, reason });
        case 'rename':
          return api.post(`/org-units/${unit.id}/rename`, { name: v.name?.trim(), effectiveDate: v.effectiveDate, reason });
        case 'close':
          return api.post(`/org-units/${unit.id}/close`, { effectiveDate: v.effectiveDate, reason });
        case 'merge':
          return api.post<{ moved?: number }>(`/org-units/${unit.id}/merge`, { targetId: v.targetId, effectiveDate: v.effectiveDate, reason });
        default:
          return null;
      }
    },
    onSuccess: (res) => {
      const moved = res && typeof res === 'object' && 'moved' in res ? Number((res as { moved: number }).moved) : null;
      message.success(action === 'merge' && moved !== null ? t.moved(moved) : t.done);
      void qc.invalidateQueries({ queryKey: ['org-tree'] });
      void qc.invalidateQueries({ queryKey: ['org-unit'] });
      void qc.invalidateQueries({ queryKey: ['org-unit-schools'] });
      onClose();
    },
    onError: (e) => message.error(errorText(e)),
  });

  const parentKinds = ALLOWED_PARENTS[unit.kind] ?? [];
  const required = [{ required: true }];

  return (
    <Modal
      open={!!action}
      title={action ? `${TITLES[action]}: ${unit.name}` : ''}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={action === 'close' ? t.close : vi.common.save}
      okButtonProps={{ danger: action === 'close' || action === 'merge' }}
      cancelText={vi.common.cancel}
      confirmLoading={m.isPending}
      forceRender
    >
      <Form form={form} layout="vertical" onFinish={(v) => m.mutate(v)} requiredMark={false}>
        {action === 'add' ? (
          <>
            <Form.Item name="kind" label={t.kind} rules={required}>
              <Select options={childKinds(unit.kind).map((k) => ({ value: k, label: vi.unitKinds[k] }))} />
            </Form.Item>
            <Form.Item name="name" label={t.name} rules={[...required, { min: 2 }]}>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item name="code" label={t.code} rules={[{ pattern: /^[A-Za-z0-9._-]*$/, message: vi.common.unitCodeInvalid }]}>
              <Input maxLength={20} />
            </Form.Item>
            {kind === 'school' || kind === 'school_site' ? (
              <>
                <Form.Item name="schoolLevels" label={t.levels} rules={kind === 'school' ? required : undefined}>
                  <Select mode="multiple" options={Object.entries(vi.schoolLevels).map(([value, label]) => ({ value, label }))} />
                </Form.Item>
                <Form.Item name="ownership" label={t.ownership}>
                  <Select allowClear options={Object.entries(vi.ownership).map(([value, label]) => ({ value, label }))} />
                </Form.Item>
                <Form.Item name="area" label={t.area}>
                  <Select allowClear options={Object.entries(vi.area).map(([value, label]) => ({ value, label }))} />
                </Form.Item>
              </>
            ) : null}
            <Form.Item name="validFrom" label={t.validFrom} rules={required}>
              <VnDatePicker style={{ width: '100%' }} />
            </Form.Item>
          </>
        ) : (
          <>
            {action === 'close' ? <Alert type="warning" showIcon title={t.closeHelp} style={{ marginBottom: 12 }} /> : null}
            {action === 'merge' ? <Alert type="warning" showIcon title={t.mergeHelp} style={{ marginBottom: 12 }} /> : null}
            {action === 'move' ? (
              <Form.Item name="newParentId" label={t.newParent} rules={required}>
                <UnitSelect asOf={asOf} exclude={unit.id} selectable={(u) => parentKinds.includes(u.kind) && u.id !== unit.parentId} />
              </Form.Item>
            ) : null}
            {action === 'merge' ? (
              <Form.Item name="targetId" label={t.mergeTarget} rules={required}>
                <UnitSelect asOf={asOf} exclude={unit.id} selectable={(u) => u.kind === unit.kind} />
              </Form.Item>
            ) : null}
            {action === 'rename' ? (
              <Form.Item name="name" label={t.newName} rules={[...required, { min: 2 }]}>
                <Input maxLength={200} />
              </Form.Item>
            ) : null}
            <Form.Item name="effectiveDate" label={vi.common.effectiveDate} rules={required}>
              <VnDatePicker style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="reason" label={vi.common.reason}>
              <Input.TextArea rows={2} maxLength={300} />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  );
}
