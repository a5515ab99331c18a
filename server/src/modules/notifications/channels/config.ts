import type { Agent } from 'node:https';

/**
 * How this process reaches the channels beyond the inbox, from the environment (read once, at the
 * first delivery) — tests and the bench set it with `configureChannels`.
 *
 * - SMTP_URL (smtp://user:pass@host:587, smtps://…): e-mail; unset, no e-mail is sent and the
 *   preferences page says so. SMTP_FROM: the sender ("Trường Số <no-reply@…>").
 * - PUBLIC_URL: the address people open the app at, for links in e-mails and webhook bodies.
 * - TRUONGSO_WEBHOOK_URL / TRUONGSO_WEBHOOK_SECRET / TRUONGSO_WEBHOOK_CONTACT=1: the webhook of
 *   every unit that has none of its own (table notification_webhook).
 * - TRUONGSO_VAPID_SUBJECT: the contact a push service may write to about our pushes.
 * - TRUONGSO_DIGEST_HOUR: the hour (Vietnam time, 0–23) the daily digest e-mails go out.
 */
export type ChannelConfig = {
  smtpUrl: string | null;
  smtpFrom: string;
  publicUrl: string;
  webhook: { url: string; secret: string; withContact: boolean } | null;
  vapidSubject: string;
  digestHour: number;
  /** Sends at once per channel within one job. */
  concurrency: number;
  /** Attempts per notice × channel before it is listed as failed. */
  maxAttempts: number;
  /** Seconds before attempt n + 1 after attempt n failed. */
  retrySeconds: (attempt: number) => number;
  /** Per-request limit of a webhook call or push, ms. */
  timeoutMs: number;
  /** Tests only: the TLS agent pushes go through (a local push endpoint with its own certificate). */
  pushAgent?: Agent;
};

function fromEnv(): ChannelConfig {
  const env = process.env;
  const hour = Number(env.TRUONGSO_DIGEST_HOUR ?? 18);
  return {
    smtpUrl: env.SMTP_URL || null,
    smtpFrom: env.SMTP_FROM || 'Trường Số <no-reply@truongso.local>',
    publicUrl: (env.PUBLIC_URL || `http://localhost:${env.PORT ?? 3000}`).replace(/\/+$/, ''),
    webhook: env.TRUONGSO_WEBHOOK_URL && env.TRUONGSO_WEBHOOK_SECRET ? { url: env.TRUONGSO_WEBHOOK_URL, secret: env.TRUONGSO_WEBHOOK_SECRET, withContact: env.TRUONGSO_WEBHOOK_CONTACT === '1' } : null,
    vapidSubject: env.TRUONGSO_VAPID_SUBJECT || 'mailto:quantri@truongso.local',
    digestHour: Number.isInteger(hour) && hour >= 0 && hour <= 23 ? hour : 18,
    concurrency: 8,
    maxAttempts: 5,
    retrySeconds: (attempt) => 30 * 4 ** (attempt - 1),
    timeoutMs: 10_000,
  };
}

let current: ChannelConfig | null = null;

export function channelConfig(): ChannelConfig {
  current ??= fromEnv();
  return current;
}

/** Replaces part of the configuration (tests, bench); `reset` goes back to the environment's. */
export function configureChannels(part: Partial<ChannelConfig> | 'reset'): void {
  current = part === 'reset' ? null : { ...channelConfig(), ...part };
}
