import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { ApiError, api, errorText, retryDelayMs, shouldRetry } from '../../api/client';
import type { LoginRequest, Me } from '../../api/types';
import { vi } from '../../i18n/vi';
import { viActivationNav } from '../../i18n/vi-activation';
import { Link } from '../../router';
import { useSignedIn } from './session';

const SLOW_SIGN_IN_MS = 4000;
/**
 * A busy server's sign-in is asked again up to 20 times (each after 5–10 s: about two minutes),
 * not 4 like a read: on a report-card evening more parents than the machine can check passwords
 * for arrive at once, and a parent would rather see the page keep trying than an error to retype
 * after (decision 0020).
 */
const SIGN_IN_BUSY_TRIES = 20;

/** One sign-in request; `onSlow` when it is still unanswered after SLOW_SIGN_IN_MS. */
async function signInSaying(onSlow: () => void, body: LoginRequest): Promise<Me> {
  const slow = setTimeout(onSlow, SLOW_SIGN_IN_MS);
  try {
    return await api.post<Me, LoginRequest>('/auth/login', body);
  } finally {
    clearTimeout(slow);
  }
}

export function LoginPage() {
  const signedIn = useSignedIn();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [retryIn, setRetryIn] = useState<number | null>(null);
  // A sign-in still unanswered after a few seconds is waiting its turn (many parents at once):
  // say so, or the parent presses again and waits twice.
  const [waitingTurn, setWaitingTurn] = useState(false);

  const onFinish = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      // A busy server (503 with Retry-After, on a report-card evening) is asked again by itself
      // after the time it gave, as the app's reads are: the parent waits instead of retyping.
      for (let failures = 0; ; failures++) {
        try {
          signedIn(await signInSaying(() => setWaitingTurn(true), { username: v.username.trim(), password: v.password }));
          return;
        } catch (e) {
          if (!(e instanceof ApiError && e.status === 503 && shouldRetry(failures, e, 0, SIGN_IN_BUSY_TRIES))) throw e;
          const wait = retryDelayMs(failures, e);
          setRetryIn(Math.ceil(wait / 1000));
          await new Promise((resolve) => setTimeout(resolve, wait));
          setRetryIn(null);
        } finally {
          setWaitingTurn(false);
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
          {waitingTurn && retryIn === null ? <Alert type="info" showIcon title={vi.login.waitingTurn} style={{ marginBottom: 16 }} data-testid="login-waiting" /> : null}
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
