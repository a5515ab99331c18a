import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { parseVnDate } from '../../../../domain/index';
import { api, errorText } from '../../api/client';
import type { ActivationDone, ActivationPreview, ActivationRedeem, ContactCodeAnswer, Me } from '../../api/types';
import { viActivation } from '../../i18n/vi-activation';
import { navigate } from '../../router';
import './activation.css';

const t = viActivation.family;
/** The code typed before going to sign in, so the family does not type it twice (this tab only). */
const KEPT_CODE = 'truongso.activation.code';

type Step =
  | { kind: 'code' }
  | { kind: 'learner'; sent: ContactCodeAnswer | null; learnerId: string; dateOfBirth: string }
  | { kind: 'confirm'; code: string; preview: ActivationPreview }
  | { kind: 'confirmLearner'; learnerId: string; dateOfBirth: string; contactCode: string }
  | { kind: 'done'; done: ActivationDone };

const isParent = (me: Me | null) => !!me && me.grants.length > 0 && me.grants.every((g) => g.role === 'parent');

/**
 * "Kích hoạt sổ liên lạc điện tử": reachable without signing in (from the login page) and by a
 * signed-in parent ("Thêm con" in "Con của tôi"). A printed code, or the child's learner id and
 * date of birth with a code sent to the guardian's contact on record; then the consent and, for
 * a family without an account, the user name and password. Plain form parts only: the family's
 * screens stay light (e2e/speed/page-weight.e2e.ts).
 */
export function ActivationPage({ me }: { me: Me | null }) {
  const qc = useQueryClient();
  const [step, setStep] = useState<Step>({ kind: 'code' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const parent = isParent(me);

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const checkCode = (code: string) =>
    run(async () => {
      const preview = await api.post<ActivationPreview, { activationCode: string }>('/activation/check', { activationCode: code });
      setStep({ kind: 'confirm', code, preview });
    });

  const redeem = (body: ActivationRedeem) =>
    run(async () => {
      const done = await api.post<ActivationDone, ActivationRedeem>('/activation/redeem', body);
      sessionStorage.removeItem(KEPT_CODE);
      setStep({ kind: 'done', done });
      // A new account is signed in now; a parent's children changed: the session is read again.
      await qc.invalidateQueries({ queryKey: ['me'] });
    });

  const signInFirst = (code: string) => {
    sessionStorage.setItem(KEPT_CODE, code);
    navigate('/dang-nhap');
  };

  const header = (
    <div className="activation-head">
      <Typography.Title level={1} className="activation-title">
        {t.title}
      </Typography.Title>
      {parent && me ? <Typography.Paragraph>{t.signedInAs(me.displayName)}</Typography.Paragraph> : null}
    </div>
  );
  const alert = error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="activation-error" /> : null;

  let body;
  if (step.kind === 'code') {
    const kept = sessionStorage.getItem(KEPT_CODE) ?? '';
    body = (
      <Form layout="vertical" requiredMark={false} disabled={busy} initialValues={{ code: kept }} onFinish={(v: { code: string }) => void checkCode(v.code)}>
        <Typography.Paragraph>{t.intro}</Typography.Paragraph>
        <Form.Item label={t.code} name="code" rules={[{ required: true, whitespace: true, message: t.codeRequired }]}>
          <Input size="large" autoComplete="off" autoCapitalize="characters" autoCorrect="off" spellCheck={false} className="activation-code-input" data-testid="activation-code" autoFocus />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={busy} data-testid="activation-check">
          {t.check}
        </Button>
        <Button type="link" block onClick={() => setStep({ kind: 'learner', sent: null, learnerId: '', dateOfBirth: '' })} style={{ marginTop: 8, whiteSpace: 'normal', height: 'auto' }}>
          {t.noSheet}
        </Button>
      </Form>
    );
  } else if (step.kind === 'learner') {
    body = (
      <LearnerForm
        busy={busy}
        sent={step.sent}
        onSend={(learnerId, dateOfBirth) =>
          void run(async () => {
            const sent = await api.post<ContactCodeAnswer, { learnerId: string; dateOfBirth: string }>('/activation/contact-code', { learnerId, dateOfBirth });
            setStep({ kind: 'learner', sent, learnerId, dateOfBirth });
          })
        }
        onCode={(contactCode) => setStep({ kind: 'confirmLearner', learnerId: step.learnerId, dateOfBirth: step.dateOfBirth, contactCode })}
        onBack={() => {
          setError(null);
          setStep({ kind: 'code' });
        }}
      />
    );
  } else if (step.kind === 'confirm' || step.kind === 'confirmLearner') {
    const preview = step.kind === 'confirm' ? step.preview : null;
    const student = preview?.kind === 'student';
    const needsAccount = student || !parent;
    const target = step.kind === 'confirm' ? { activationCode: step.code } : { learnerId: step.learnerId, dateOfBirth: step.dateOfBirth, contactCode: step.contactCode };
    body = (
      <Form
        layout="vertical"
        requiredMark={false}
        disabled={busy}
        onFinish={(v: { consent: boolean; username?: string; password?: string }) =>
          void redeem({ ...target, consent: !!v.consent, newAccount: needsAccount ? { username: v.username ?? '', password: v.password ?? '' } : undefined })
        }
      >
        {preview ? (
          <dl className="activation-facts" data-testid="activation-preview">
            <dt>{t.forChild}</dt>
            <dd>{student ? t.studentOwn : t.guardianOf(preview.guardianName ?? '', t.relation[preview.relation ?? 'guardian'] ?? '')}</dd>
            <dt>{t.child}</dt>
            <dd>{preview.childName}</dd>
            <dt>{t.classLabel}</dt>
            <dd>{preview.className ?? '—'}</dd>
            <dt>{t.school}</dt>
            <dd>{preview.schoolName}</dd>
          </dl>
        ) : null}
        <fieldset className="activation-consent">
          <legend>{t.consentTitle}</legend>
          {preview ? <p className="activation-consent-text">{preview.consent.description}</p> : null}
          <Form.Item name="consent" valuePropName="checked" rules={[{ validator: (_, v) => (v ? Promise.resolve() : Promise.reject(new Error(t.consentRequired))) }]}>
            <Checkbox data-testid="activation-consent">{(student ? t.consentBoxStudent : t.consentBox)(preview?.consent.label ?? 'Gửi tin nhắn sổ liên lạc điện tử')}</Checkbox>
          </Form.Item>
          <p className="activation-note">{t.consentLaw}</p>
          {preview?.childConsentNeeded ? <p className="activation-note">{t.childConsent}</p> : null}
        </fieldset>
        {needsAccount ? (
          <>
            <Typography.Title level={2} className="activation-subtitle">
              {t.newAccount}
            </Typography.Title>
            <Form.Item label={t.username} name="username" extra={t.usernameRule} rules={[{ required: true, pattern: /^[A-Za-z0-9._-]{3,40}$/, message: t.usernameRule }]}>
              <Input size="large" autoComplete="username" autoCapitalize="none" autoCorrect="off" spellCheck={false} data-testid="activation-username" />
            </Form.Item>
            <Form.Item label={t.password} name="password" rules={[{ required: true, min: 8, message: t.password }]}>
              <Input.Password size="large" autoComplete="new-password" data-testid="activation-password" />
            </Form.Item>
            <Form.Item
              label={t.passwordAgain}
              name="password2"
              dependencies={['password']}
              rules={[{ required: true, message: t.passwordAgain }, ({ getFieldValue }) => ({ validator: (_, v) => (v === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error(t.passwordMismatch))) })]}
            >
              <Input.Password size="large" autoComplete="new-password" data-testid="activation-password2" />
            </Form.Item>
          </>
        ) : null}
        <Button type="primary" htmlType="submit" block size="large" loading={busy} data-testid="activation-submit">
          {needsAccount ? t.activate : t.addThisChild}
        </Button>
        {needsAccount && !student && step.kind === 'confirm' ? (
          <Typography.Paragraph style={{ marginTop: 16 }}>
            {t.haveAccount}{' '}
            <Button type="link" style={{ padding: 0 }} onClick={() => signInFirst(step.code)} data-testid="activation-sign-in">
              {t.signIn}
            </Button>
          </Typography.Paragraph>
        ) : null}
        <Button
          block
          type="text"
          style={{ marginTop: 8 }}
          onClick={() => {
            setError(null);
            setStep({ kind: 'code' });
          }}
        >
          {t.startOver}
        </Button>
      </Form>
    );
  } else {
    body = (
      <div data-testid="activation-done">
        <Alert type="success" showIcon title={t.done(step.done.childName)} description={step.done.newAccount ? t.doneNewAccount(step.done.username) : undefined} style={{ marginBottom: 16 }} />
        <Button type="primary" block size="large" onClick={() => navigate(step.done.kind === 'student' ? '/' : '/con-cua-toi')} data-testid="activation-open-children">
          {t.openChildren}
        </Button>
      </div>
    );
  }

  return (
    <div className="activation-screen">
      <Card className="activation-card">
        {header}
        {alert}
        {body}
        {!me && step.kind !== 'done' ? (
          <Button type="link" block onClick={() => navigate('/dang-nhap')} style={{ marginTop: 8 }}>
            {t.toLogin}
          </Button>
        ) : null}
        {parent && step.kind !== 'done' ? (
          <Button type="link" block onClick={() => navigate('/con-cua-toi')} style={{ marginTop: 8 }}>
            {viActivation.family.openChildren}
          </Button>
        ) : null}
      </Card>
    </div>
  );
}

function LearnerForm({
  busy,
  sent,
  onSend,
  onCode,
  onBack,
}: {
  busy: boolean;
  sent: ContactCodeAnswer | null;
  onSend: (learnerId: string, dateOfBirth: string) => void;
  onCode: (code: string) => void;
  onBack: () => void;
}) {
  return (
    <>
      <Form
        layout="vertical"
        requiredMark={false}
        disabled={busy}
        onFinish={(v: { learnerId: string; dob: string }) => {
          const d = parseVnDate(v.dob);
          if (d?.ok) onSend(v.learnerId.trim(), d.value);
        }}
      >
        <Typography.Paragraph>{t.learnerIntro}</Typography.Paragraph>
        <Form.Item label={t.learnerId} name="learnerId" rules={[{ required: true, pattern: /^\s*\d{10}\s*$/, message: t.learnerIdRule }]}>
          <Input size="large" inputMode="numeric" autoComplete="off" data-testid="activation-learner-id" />
        </Form.Item>
        <Form.Item
          label={t.dateOfBirth}
          name="dob"
          rules={[
            {
              validator: (_, v: string | undefined) => {
                const d = parseVnDate(v ?? '');
                return d?.ok ? Promise.resolve() : Promise.reject(new Error(d && !d.ok ? `${d.reason}.` : 'Ngày sinh: hãy nhập theo dạng ngày/tháng/năm, ví dụ 05/09/2014.'));
              },
            },
          ]}
        >
          <Input size="large" inputMode="numeric" placeholder="dd/mm/yyyy" autoComplete="off" data-testid="activation-dob" />
        </Form.Item>
        <Button htmlType="submit" block size="large" loading={busy} data-testid="activation-send-code">
          {t.sendCode}
        </Button>
      </Form>
      {sent ? <Alert type={sent.channelReady ? 'info' : 'warning'} showIcon title={sent.message} style={{ marginTop: 16 }} data-testid="activation-sent" /> : null}
      {sent?.channelReady ? (
        <Form layout="vertical" requiredMark={false} disabled={busy} style={{ marginTop: 16 }} onFinish={(v: { code: string }) => onCode(v.code.trim())}>
          <Form.Item label={t.contactCode} name="code" rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: t.contactCodeRequired }]}>
            <Input size="large" inputMode="numeric" autoComplete="one-time-code" data-testid="activation-contact-code" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large">
            {t.check}
          </Button>
        </Form>
      ) : null}
      <Button type="link" block onClick={onBack} style={{ marginTop: 8 }}>
        {t.backToCode}
      </Button>
    </>
  );
}
