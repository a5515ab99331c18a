import { App, Alert, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { api, errorText } from '../../api/client';
import type { ChangePasswordRequest, Ok } from '../../api/types';
import { vi } from '../../i18n/vi';
import { useSignedIn } from './session';

type Values = { currentPassword: string; newPassword: string; confirm: string };

/** Change own password. The server ends the session afterwards, so the user signs in again. */
export function ChangePasswordModal({ open, forced, onClose }: { open: boolean; forced?: boolean; onClose?: () => void }) {
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const signedIn = useSignedIn();
  const { message } = App.useApp();

  // Forced (temporary password): the only other way out is to sign out.
  const logout = async () => {
    await api.post<Ok>('/auth/logout').catch(() => undefined);
    signedIn(null);
  };

  const submit = async () => {
    // A form that does not validate shows what is wrong under each field; nothing more to do.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    setError(null);
    try {
      await api.post<Ok, ChangePasswordRequest>('/auth/change-password', { currentPassword: v.currentPassword, newPassword: v.newPassword });
      message.success(vi.account.changed);
      signedIn(null);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={vi.account.changePassword}
      okText={vi.common.save}
      cancelText={forced ? vi.account.logout : vi.common.cancel}
      onOk={() => void submit()}
      confirmLoading={busy}
      closable={!forced}
      mask={{ closable: !forced }}
      keyboard={!forced}
      onCancel={() => (forced ? void logout() : onClose?.())}
      destroyOnHidden
    >
      {forced ? <Alert type="warning" showIcon title={vi.account.mustChange} style={{ marginBottom: 16 }} /> : null}
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} /> : null}
      <Form form={form} layout="vertical" requiredMark={false}>
        <Form.Item name="currentPassword" label={vi.account.currentPassword} rules={[{ required: true, message: vi.account.currentRequired }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item name="newPassword" label={vi.account.newPassword} rules={[{ required: true, message: vi.account.newRequired }, { min: 8, message: vi.account.minLength }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={vi.account.confirmPassword}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: vi.account.confirmRequired },
            ({ getFieldValue }) => ({
              validator: (_, val) => (!val || val === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(vi.account.mismatch))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
