import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { ApiError, api, errorText, retryDelayMs, shouldRetry } from '../../api/client';
import type { LoginRequest, Me } from '../../api/types';
import { vi } from '../../i18n/vi';
import { viActivationNav } from '../../i18n/vi-activation';
import { Link } from '../../router';
import { useSignedIn } from './session';

export function LoginPage() {
  const signedIn = useSignedIn();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [retryIn, setRetryIn] = useState<number | null>(null);

  const onFinish = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      // A busy server (503 with Retry-After, on a report-card evening) is asked again by itself
      // after the time it gave, as the app's reads are: the parent waits instead of retyping.
      for (let failures = 0; ; failures++) {
        try {
          const me = await api.post<Me, LoginRequest>('/auth/login', { username: v.username.trim(), password: v.password });
          signedIn(me);
          return;
        } catch (e) {
          if (!(e instanceof ApiError && e.status === 503 && shouldRetry(failures, e))) throw e;
          const wait = retryDelayMs(failures, e);
          setRetryIn(Math.ceil(wait / 1000));
          await new Promise((resolve) => setTimeout(resolve, wait));
          setRetryIn(null);
        }
      }
    } catch (e) {
      setError(errorText(e));
    } finally {
      setRetryIn(null);
      setBusy(false);
    }
  };

  return (
    <div className="login-screen">
      <div className="login-brand">
        <div className="login-logo" aria-hidden>
          <img src="/favicon.svg" alt="" width={56} height={56} />
        </div>
        <Typography.Title level={1} className="login-product">
          {vi.product}
        </Typography.Title>
        <Typography.Paragraph className="login-tagline">{vi.tagline}</Typography.Paragraph>
        <ul className="login-features">
          {vi.login.features.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
      </div>
      <Card className="login-card" title={vi.login.title}>
        <Form layout="vertical" onFinish={(v: { username: string; password: string }) => void onFinish(v)} requiredMark={false} disabled={busy}>
          {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" /> : null}
          {retryIn !== null ? <Alert type="info" showIcon title={vi.login.busyRetrying(retryIn)} style={{ marginBottom: 16 }} data-testid="login-retrying" /> : null}
          <Form.Item label={vi.login.username} name="username" rules={[{ required: true, whitespace: true, message: vi.login.usernameRequired }]}>
            <Input data-testid="login-username" autoComplete="username" autoCapitalize="none" autoCorrect="off" spellCheck={false} size="large" autoFocus />
          </Form.Item>
          <Form.Item label={vi.login.password} name="password" rules={[{ required: true, message: vi.login.passwordRequired }]}>
            <Input.Password data-testid="login-password" autoComplete="current-password" size="large" />
          </Form.Item>
          <Button data-testid="login-submit" type="primary" htmlType="submit" block size="large" loading={busy}>
            {vi.login.submit}
          </Button>
          <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0, fontSize: 13 }}>
            {vi.login.help}
          </Typography.Paragraph>
          <Typography.Paragraph style={{ marginTop: 12, marginBottom: 0 }}>
            <Link to="/kich-hoat" data-testid="login-activate">
              {viActivationNav.loginLink}
            </Link>
          </Typography.Paragraph>
        </Form>
      </Card>
    </div>
  );
}
