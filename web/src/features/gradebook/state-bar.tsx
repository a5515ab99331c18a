import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Tag } from 'antd';
import { useState } from 'react';
import { ZGradebookTransition } from '../../../../contracts/gradebook';
import { api, errorText } from '../../api/client';
import type { Gradebook, GradebookTransition } from '../../api/types';
import { contractRule } from '../../components/field-rules';
import { vi } from '../../i18n/vi';

const t = vi.gradebook;
type Action = GradebookTransition['action'];
const ORDER: Action[] = ['submit', 'reopen', 'review', 'return', 'lock', 'unlock'];
const STATE_COLOR: Record<string, string> = { open: 'blue', submitted: 'orange', reviewed: 'gold', locked: 'green' };

/**
 * The grid's state (đang nhập → đã nộp → đã duyệt → đã khóa) and the steps the caller may take now,
 * each confirmed in words saying what it does; unlocking asks for the reason the audit log keeps.
 * A submit waits for the unsent cells to be sent (`beforeAction`) and is refused while any is left.
 */
export function StateBar({
  grid,
  path,
  label,
  unsaved,
  incompleteRows,
  beforeAction,
}: {
  grid: Gradebook;
  path: string;
  label: string;
  /** Cells not saved yet (unsent or invalid), read when the button is pressed. */
  unsaved: () => number;
  incompleteRows: () => number;
  beforeAction: () => Promise<void>;
}) {
  const qc = useQueryClient();
  const { message, modal } = App.useApp();
  const [unlocking, setUnlocking] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const queryKey = ['gradebook', path, grid.term];

  const step = useMutation({
    mutationFn: (body: GradebookTransition) => api.post<Gradebook, GradebookTransition>(`${path}/state`, body),
    onSuccess: (g, body) => {
      qc.setQueryData(queryKey, g);
      void qc.invalidateQueries({ queryKey: ['class-gradebook'] });
      message.success(t.done[body.action]);
      setUnlocking(false);
    },
    onError: (e) => message.error(errorText(e)),
  });

  const take = async (action: Action) => {
    if (action === 'unlock') {
      form.resetFields();
      setUnlocking(true);
      return;
    }
    if (action === 'submit') {
      await beforeAction();
      const left = unsaved();
      if (left > 0) {
        modal.warning({ title: t.actions.submit, content: t.unsentBeforeSubmit(left), okText: vi.common.close });
        return;
      }
    }
    const missing = action === 'submit' ? incompleteRows() : 0;
    modal.confirm({
      title: `${t.actions[action]}?`,
      content: (
        <>
          <p>{t.confirm[action](label)}</p>
          {missing > 0 ? <p>{t.incompleteRows(missing)}</p> : null}
        </>
      ),
      okText: t.actions[action],
      cancelText: vi.common.cancel,
      onOk: () => step.mutateAsync({ term: grid.term, action }),
    });
  };

  const allowed = ORDER.filter((a) => grid.actions[a]);
  return (
    <div className="gb-statebar" data-testid="gradebook-state">
      <span className="gb-state">
        <span className="gb-state-label">{t.stateLabel}:</span>
        <Tag color={STATE_COLOR[grid.state]} data-testid="gradebook-state-label">
          {grid.stateLabel}
        </Tag>
      </span>
      {allowed.length ? (
        <span className="gb-state-actions">
          {allowed.map((a) => (
            <Button
              key={a}
              size="small"
              type={a === 'submit' || a === 'review' || a === 'lock' ? 'primary' : 'default'}
              danger={a === 'unlock'}
              loading={step.isPending && step.variables?.action === a}
              onClick={() => void take(a)}
              data-testid={`gradebook-action-${a}`}
            >
              {t.actions[a]}
            </Button>
          ))}
        </span>
      ) : null}
      <Modal
        open={unlocking}
        title={`${t.actions.unlock} — ${label}`}
        okText={t.actions.unlock}
        okButtonProps={{ danger: true }}
        cancelText={vi.common.cancel}
        confirmLoading={step.isPending}
        onCancel={() => setUnlocking(false)}
        onOk={() => form.submit()}
        forceRender
      >
        <p>{t.confirm.unlock(label)}</p>
        <Form form={form} layout="vertical" onFinish={(v) => step.mutate({ term: grid.term, action: 'unlock', reason: v.reason.trim() })}>
          <Form.Item
            name="reason"
            label={t.unlockReason}
            extra={t.unlockReasonHelp}
            rules={[{ required: true, whitespace: true }, contractRule(ZGradebookTransition.shape.reason)]}
          >
            <Input.TextArea rows={3} maxLength={500} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
