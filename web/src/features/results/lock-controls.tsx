import { LockOutlined, UnlockOutlined } from '@ant-design/icons';
import { App, Button, Input, Modal } from 'antd';
import { useState } from 'react';
import { vi } from '../../i18n/vi';

export type LockTexts = { lock: string; lockConfirm: string; unlock: string; unlockTitle: string; unlockReason: string; unlockNeedReason: string };

/**
 * The principal's lock (confirmed) and unlock (with a reason of at least five characters, which
 * the server audits) of something teachers enter: the summer's re-tests, a checkpoint's qualities.
 * `onUnlock` resolves when the server has answered, so the dialog closes only on success.
 */
export function LockControls({
  locked,
  pending,
  texts,
  testId,
  onLock,
  onUnlock,
}: {
  locked: boolean;
  pending: boolean;
  texts: LockTexts;
  testId: string;
  onLock: () => void;
  onUnlock: (reason: string) => Promise<unknown>;
}) {
  const { message, modal } = App.useApp();
  const [unlocking, setUnlocking] = useState(false);
  const [reason, setReason] = useState('');
  const confirmUnlock = async () => {
    if (reason.trim().length < 5) {
      void message.error(texts.unlockNeedReason);
      return;
    }
    try {
      await onUnlock(reason.trim());
      setUnlocking(false);
      setReason('');
    } catch {
      // The caller's mutation said what went wrong; the dialog stays open with the reason typed.
    }
  };
  return (
    <>
      {locked ? (
        <Button icon={<UnlockOutlined aria-hidden />} onClick={() => setUnlocking(true)} data-testid={`${testId}-unlock`}>
          {texts.unlock}
        </Button>
      ) : (
        <Button
          icon={<LockOutlined aria-hidden />}
          loading={pending}
          data-testid={`${testId}-lock`}
          onClick={() => {
            modal.confirm({ title: `${texts.lock}?`, content: texts.lockConfirm, okText: texts.lock, cancelText: vi.common.cancel, onOk: onLock });
          }}
        >
          {texts.lock}
        </Button>
      )}
      <Modal
        open={unlocking}
        title={texts.unlockTitle}
        okText={texts.unlock}
        cancelText={vi.common.cancel}
        confirmLoading={pending}
        onCancel={() => setUnlocking(false)}
        onOk={() => void confirmUnlock()}
      >
        <label className="rs-unlock-reason">
          <span>{texts.unlockReason}</span>
          <Input.TextArea rows={2} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} data-testid={`${testId}-unlock-reason`} />
        </label>
      </Modal>
    </>
  );
}
