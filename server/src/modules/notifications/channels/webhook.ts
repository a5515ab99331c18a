import { createHmac, timingSafeEqual } from 'node:crypto';
import { channelConfig } from './config.js';

/**
 * The generic outbound webhook a province connects a Zalo OA or an SMS gateway to, without code
 * changes: a JSON POST signed with HMAC-SHA256 over `<timestamp>.<body>` with the unit's secret.
 *
 *   X-TruongSo-Timestamp: 1765080000            (Unix seconds; refuse one older than 5 minutes)
 *   X-TruongSo-Signature: sha256=<hex>          (HMAC-SHA256(secret, timestamp + "." + body))
 *   X-TruongSo-Delivery:  <id>                  (the same on every attempt: drop repeats)
 *
 * The body holds the notice as a lock screen may show it and a link into the app; the recipient's
 * phone and e-mail on record only when the unit's configuration asks for them (an SMS gateway
 * needs the phone). Never marks, reasons or another family's data.
 */
export type WebhookBody = {
  id: string;
  event: 'notice';
  kind: string;
  title: string;
  body: string;
  link: string;
  createdAt: string;
  recipient: { id: string; phone?: string | null; email?: string | null };
};

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does (documented in docs/decisions/0018; used by the tests' receiver). */
export function verifyWebhook(secret: string, headers: { timestamp?: string; signature?: string }, body: string, nowSeconds = Math.floor(Date.now() / 1000)): boolean {
  const ts = Number(headers.timestamp);
  if (!Number.isInteger(ts) || Math.abs(nowSeconds - ts) > 300 || !headers.signature) return false;
  const want = Buffer.from(signWebhook(secret, ts, body));
  const got = Buffer.from(headers.signature);
  return want.length === got.length && timingSafeEqual(want, got);
}

export class WebhookError extends Error {}

export async function postWebhook(target: { url: string; secret: string }, payload: WebhookBody): Promise<void> {
  const body = JSON.stringify(payload);
  const timestamp = Math.floor(Date.now() / 1000);
  let res: Response;
  try {
    res = await fetch(target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'TruongSo-Webhook/1',
        'x-truongso-timestamp': String(timestamp),
        'x-truongso-signature': signWebhook(target.secret, timestamp, body),
        'x-truongso-delivery': payload.id,
      },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(channelConfig().timeoutMs),
    });
  } catch (err) {
    throw new WebhookError(`Không kết nối được địa chỉ webhook (${err instanceof Error ? err.message : String(err)}).`);
  }
  await res.arrayBuffer().catch(() => undefined);
  if (res.status < 200 || res.status >= 300) throw new WebhookError(`Địa chỉ webhook trả lời mã ${res.status}.`);
}
