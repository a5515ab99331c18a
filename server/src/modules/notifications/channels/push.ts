import type { Kysely } from 'kysely';
import webPush from 'web-push';
import type { Database } from '../../../db/schema.js';
import { channelConfig } from './config.js';

/**
 * Web Push with the server's own VAPID keys (no third-party account): made once, kept in the
 * database (table server_key), so every process and every restart signs with the same pair and
 * browsers' subscriptions stay valid. The public key is served to the browser
 * (GET /api/v1/me/push/key) for PushManager.subscribe.
 *
 * The payload is what the lock screen shows and nothing more: { title, body, link, tag }. The
 * push's Topic is the notice's id, so a repeat after a crash replaces the first in the push
 * service's queue, and `tag` replaces it on the device.
 */
type Keys = { publicKey: string; privateKey: string };
let cached: Keys | null = null;

export async function vapidKeys(db: Kysely<Database>): Promise<Keys> {
  if (cached) return cached;
  const row = await db.selectFrom('server_key').select('value').where('name', '=', 'vapid').executeTakeFirst();
  if (row) return (cached = row.value as Keys);
  const made = webPush.generateVAPIDKeys();
  // Two processes starting at once: the first insert wins and both read it back.
  await db.insertInto('server_key').values({ name: 'vapid', value: JSON.stringify(made) }).onConflict((oc) => oc.column('name').doNothing()).execute();
  const kept = await db.selectFrom('server_key').select('value').where('name', '=', 'vapid').executeTakeFirstOrThrow();
  return (cached = kept.value as Keys);
}

/** Tests that open a fresh database in the same process. */
export function forgetVapidKeys(): void {
  cached = null;
}

export type PushPayload = { title: string; body: string; link: string; tag: string };

export class PushGone extends Error {}

export async function sendPush(keys: Keys, sub: { endpoint: string; p256dh: string; auth: string }, payload: PushPayload): Promise<void> {
  const cfg = channelConfig();
  try {
    await webPush.sendNotification({ endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } }, JSON.stringify(payload), {
      vapidDetails: { subject: cfg.vapidSubject, publicKey: keys.publicKey, privateKey: keys.privateKey },
      TTL: 24 * 3600,
      topic: payload.tag.replace(/-/g, '').slice(0, 32),
      urgency: 'normal',
      timeout: cfg.timeoutMs,
      ...(cfg.pushAgent ? { agent: cfg.pushAgent } : {}),
    });
  } catch (err) {
    const status = (err as { statusCode?: number }).statusCode;
    if (status === 404 || status === 410) throw new PushGone('Thiết bị đã hủy đăng ký nhận thông báo.', { cause: err });
    throw new Error(status ? `Dịch vụ thông báo đẩy trả lời mã ${status}.` : `Không kết nối được dịch vụ thông báo đẩy (${err instanceof Error ? err.message : String(err)}).`, { cause: err });
  }
}
