import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card } from 'antd';
import { useEffect, useState } from 'react';
import { api, errorText } from '../../api/client';
import type { NoticePreferences, NoticeSettings, Ok } from '../../api/types';
import { PageHeader } from '../../components/page-header';
import { w } from './words';
import './notices.css';
import { FIELD_LABELS } from '../../../../contracts/field-labels';
import { type PushState, pushState, subscribeToPush, unsubscribeFromPush } from './push';

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** "Cài đặt thông báo": the person's channels, e-mail address and digest, this device's push; plain HTML form controls. */
export function NoticeSettingsPage() {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const q = useQuery({ queryKey: ['notice-settings'], queryFn: ({ signal }) => api.get<NoticeSettings>('/me/notice-settings', undefined, signal) });
  // What the person is editing; until they touch it, what the server has.
  const [edited, setForm] = useState<NoticePreferences | null>(null);
  const form = edited ?? q.data?.preferences ?? null;
  const [device, setDevice] = useState<PushState | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void pushState().then(setDevice);
  }, []);

  if (!q.data || !form) return <Card loading />;
  const s = q.data;
  const set = (part: Partial<NoticePreferences>) => setForm({ ...form, ...part });
  const emailProblem = form.email && !form.emailAddress ? w.emailRequired : form.emailAddress && !EMAIL.test(form.emailAddress.trim()) ? w.emailInvalid : null;

  const save = async () => {
    if (emailProblem) return setError(emailProblem);
    setBusy(true);
    setError(null);
    try {
      const body = { ...form, emailAddress: form.emailAddress?.trim() || null };
      const saved = await api.put<NoticeSettings, NoticePreferences>('/me/notice-settings', body);
      qc.setQueryData(['notice-settings'], saved);
      setForm(saved.preferences);
      message.success(w.saved);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const togglePush = async () => {
    setBusy(true);
    try {
      const next = device === 'on' ? await unsubscribeFromPush() : await subscribeToPush();
      setDevice(next);
      if (next === 'on') message.success(w.pushOn);
      if (next === 'off' && device === 'on') message.info(w.pushOff);
      await qc.invalidateQueries({ queryKey: ['notice-settings'] });
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const test = async () => {
    try {
      await api.post<Ok>('/me/notices/test');
      message.success(w.testSent);
      await qc.invalidateQueries({ queryKey: ['notices-unread'] });
    } catch (e) {
      message.error(errorText(e));
    }
  };

  return (
    <>
      <PageHeader title={w.settings} subtitle={w.settingsIntro} />
      <form
        className="notice-settings"
        // Our own check and words (Vietnamese, naming the field), not the browser's e-mail tooltip.
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Card title={w.pushTitle} size="small">
          <label className="check-row">
            <input type="checkbox" checked={form.push} onChange={(e) => set({ push: e.target.checked })} />
            <span>{FIELD_LABELS.push}</span>
          </label>
          <p className="help">{w.pushHelp}</p>
          <p className="help">{w.devices(s.devices.length)}</p>
          {device === 'unsupported' ? (
            <p className="help">{w.pushUnsupported}</p>
          ) : device === 'denied' ? (
            <p className="help">{w.pushDenied}</p>
          ) : device ? (
            <Button onClick={() => void togglePush()} disabled={busy} data-testid="push-device">
              {device === 'on' ? w.pushOffDevice : w.pushThisDevice}
            </Button>
          ) : null}
        </Card>
        <Card title={w.emailTitle} size="small">
          {s.emailAvailable ? null : <p className="help">{w.emailUnavailable}</p>}
          <label className="check-row">
            <input type="checkbox" checked={form.email} disabled={!s.emailAvailable && !form.email} onChange={(e) => set({ email: e.target.checked })} />
            <span>{w.emailHelp}</span>
          </label>
          <label className="field">
            <span>{FIELD_LABELS.emailAddress}</span>
            <input type="email" inputMode="email" autoComplete="email" value={form.emailAddress ?? ''} onChange={(e) => set({ emailAddress: e.target.value })} aria-invalid={!!emailProblem} placeholder="ten@example.vn" />
          </label>
          <label className="check-row">
            <input type="checkbox" checked={form.emailDigest} disabled={!form.email} onChange={(e) => set({ emailDigest: e.target.checked })} />
            <span>{w.digest(s.digestHour)}</span>
          </label>
        </Card>
        <Card title={w.webhookTitle} size="small">
          <label className="check-row">
            <input type="checkbox" checked={form.webhook} onChange={(e) => set({ webhook: e.target.checked })} />
            <span>{w.webhookHelp}</span>
          </label>
        </Card>
        {error ? (
          <p role="alert" className="form-error">
            {error}
          </p>
        ) : null}
        <div className="notice-actions">
          <Button type="primary" htmlType="submit" loading={busy}>
            {w.save}
          </Button>
          <Button onClick={() => void test()}>{w.test}</Button>
        </div>
      </form>
    </>
  );
}
