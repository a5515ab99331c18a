import nodemailer, { type Transporter } from 'nodemailer';
import { channelConfig } from './config.js';

/**
 * E-mail over SMTP (nodemailer), UTF-8 throughout. The Message-ID is the delivery's own id, the
 * same on every attempt: a send repeated after a crash (accepted by the SMTP server, not yet
 * marked sent) carries the same Message-ID, so a mail store or a test can drop the second copy.
 */
let transport: { url: string; t: Transporter } | null = null;

function transporter(): Transporter | null {
  const url = channelConfig().smtpUrl;
  if (!url) return null;
  if (transport?.url !== url) {
    transport?.t.close();
    // Pooled connections: a batch of a thousand e-mails does not open a thousand SMTP sessions.
    const pooled = new URL(url);
    if (!pooled.searchParams.has('pool')) pooled.searchParams.set('pool', 'true');
    // A relay that stops answering fails a send within seconds (nodemailer waits 10 minutes by
    // default), so the delivery's retry, not a hung job, deals with it.
    for (const [k, v] of [['connectionTimeout', '10000'], ['greetingTimeout', '10000'], ['socketTimeout', '30000']]) if (!pooled.searchParams.has(k)) pooled.searchParams.set(k, v);
    transport = { url, t: nodemailer.createTransport(pooled.toString()) };
  }
  return transport.t;
}

export const emailConfigured = () => channelConfig().smtpUrl !== null;

export type Mail = { to: string; subject: string; text: string; html: string; messageId: string };

export async function sendMail(mail: Mail): Promise<void> {
  const t = transporter();
  if (!t) throw new Error('Máy chủ chưa được cấu hình gửi e-mail (SMTP_URL).');
  try {
    await t.sendMail({
      from: channelConfig().smtpFrom,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: `<${mail.messageId}@truongso>`,
      textEncoding: 'base64',
    });
  } catch (err) {
    // A relay that restarted leaves the pool holding dead connections: the retry starts a new pool.
    closeMail();
    throw err;
  }
}

/** Closes the pooled connections (tests, shutdown). */
export function closeMail(): void {
  transport?.t.close();
  transport = null;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** One notice as an e-mail: its title and body, a link into the app, and how to stop them. */
export function noticeMail(n: { title: string; body: string; link: string }, to: string, messageId: string): Mail {
  const base = channelConfig().publicUrl;
  const url = `${base}${n.link}`;
  const settings = `${base}/hop-thu/cai-dat`;
  return {
    to,
    messageId,
    subject: `[Trường Số] ${n.title}`,
    text: `${n.title}\n\n${n.body ? `${n.body}\n\n` : ''}Xem trong Trường Số: ${url}\n\n--\nBạn nhận e-mail này vì đã bật thông báo qua e-mail trong Trường Số. Đổi cài đặt: ${settings}\n`,
    html: `<p><strong>${escapeHtml(n.title)}</strong></p>${n.body ? `<p>${escapeHtml(n.body)}</p>` : ''}<p><a href="${escapeHtml(url)}">Xem trong Trường Số</a></p><hr><p style="color:#666;font-size:12px">Bạn nhận e-mail này vì đã bật thông báo qua e-mail trong Trường Số. <a href="${escapeHtml(settings)}">Đổi cài đặt thông báo</a></p>`,
  };
}

/** The day's unread notices in one e-mail (the daily digest). */
export function digestMail(notices: { title: string; body: string; link: string }[], day: string, to: string, messageId: string): Mail {
  const base = channelConfig().publicUrl;
  const [y, m, d] = day.split('-');
  const date = `${d}/${m}/${y}`;
  const settings = `${base}/hop-thu/cai-dat`;
  return {
    to,
    messageId,
    subject: `[Trường Số] ${notices.length} thông báo chưa đọc ngày ${date}`,
    text: `Thông báo chưa đọc ngày ${date}:\n\n${notices.map((n) => `• ${n.title}${n.body ? `\n  ${n.body}` : ''}\n  ${base}${n.link}`).join('\n\n')}\n\nXem tất cả: ${base}/hop-thu\n\n--\nBạn nhận e-mail tổng hợp mỗi ngày vì đã chọn như vậy trong Trường Số. Đổi cài đặt: ${settings}\n`,
    html: `<p>Thông báo chưa đọc ngày ${date}:</p><ul>${notices.map((n) => `<li><a href="${escapeHtml(base + n.link)}"><strong>${escapeHtml(n.title)}</strong></a>${n.body ? `<br>${escapeHtml(n.body)}` : ''}</li>`).join('')}</ul><p><a href="${escapeHtml(`${base}/hop-thu`)}">Xem tất cả</a></p><hr><p style="color:#666;font-size:12px"><a href="${escapeHtml(settings)}">Đổi cài đặt thông báo</a></p>`,
  };
}
