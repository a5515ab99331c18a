import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Select } from 'antd';
import { useEffect } from 'react';
import { api, errorText } from '../../api/client';
import { ZCreateOrgUnit, ZRenameOrgUnit } from '../../../../contracts/org';
import type { CloseOrgUnit, CreateOrgUnit, MergeOrgUnit, MergeOrgUnitResult, MoveOrgUnit, Ok, OrgUnit, RenameOrgUnit } from '../../api/types';
import { contractRule } from '../../components/field-rules';

import { UnitSelect } from '../../components/unit-select';
import { VnDatePicker } from '../../components/lazy-date-picker';
import { vi } from '../../i18n/vi';
import { isoToday } from '../../../../domain/index';

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
const childKinds = (parentKind: string) => ZCreateOrgUnit.shape.kind.options.filter((k) => ALLOWED_PARENTS[k].includes(parentKind));

/** One form for every action: each field holds a value when its action shows it (its rules require it). */
type Values = {
  kind: CreateOrgUnit['kind'];
  name: string;
  code?: string;
  schoolLevels?: CreateOrgUnit['schoolLevels'];
  ownership?: CreateOrgUnit['ownership'];
  area?: CreateOrgUnit['area'];
  validFrom: string;
  newParentId: string;
  targetId: string;
  effectiveDate: string;
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
    const date = asOf > isoToday() ? asOf : isoToday();
    if (action === 'add') form.setFieldsValue({ kind: childKinds(unit.kind)[0], validFrom: date, schoolLevels: [] });
    else form.setFieldsValue({ effectiveDate: date, name: action === 'rename' ? unit.name : undefined });
  }, [action, unit, asOf, form]);

  const m = useMutation({
    /** Resolves to the number of units a merge moved (null for the other actions): the message tells it. */
    mutationFn: async (v: Values): Promise<number | null> => {
      const reason = v.reason?.trim() || undefined;
      switch (action) {
        case 'add':
          await api.post<OrgUnit, CreateOrgUnit>('/org-units', {
            kind: v.kind,
            name: v.name.trim(),
            code: v.code?.trim() || undefined,
            parentId: unit.id,
            schoolLevels: v.schoolLevels ?? [],
            ownership: v.ownership || undefined,
            area: v.area || undefined,
            validFrom: v.validFrom,
          });
          return null;
        case 'move':
          await api.post<OrgUnit, MoveOrgUnit>(`/org-units/${unit.id}/move`, { newParentId: v.newParentId, effectiveDate: v.effectiveDate, reason });
          return null;
        case 'rename':
          await api.post<OrgUnit, RenameOrgUnit>(`/org-units/${unit.id}/rename`, { name: v.name.trim(), effectiveDate: v.effectiveDate, reason });
          return null;
        case 'close':
          await api.post<Ok, CloseOrgUnit>(`/org-units/${unit.id}/close`, { effectiveDate: v.effectiveDate, reason });
          return null;
        case 'merge': {
          const merged = await api.post<MergeOrgUnitResult, MergeOrgUnit>(`/org-units/${unit.id}/merge`, { targetId: v.targetId, effectiveDate: v.effectiveDate, reason });
          return merged.moved;
        }
        default:
          return null;
      }
    },
    onSuccess: (moved) => {
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
            <Form.Item name="name" label={t.name} rules={[...required, contractRule(ZCreateOrgUnit.shape.name)]}>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item name="code" label={t.code} rules={[contractRule(ZCreateOrgUnit.shape.code)]}>
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
              <Form.Item name="name" label={t.newName} rules={[...required, contractRule(ZRenameOrgUnit.shape.name)]}>
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
