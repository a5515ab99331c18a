import { emailConfigured, sendMail } from '../notifications/channels/email.js';

/**
 * How a code reaches a guardian's contact on record (their e-mail or phone from the student
 * record): a pluggable function, so the contact book's e-mail sender (SMTP) or an SMS gateway can
 * back it without this module knowing how. None is set by default: then the family is told in
 * Vietnamese that this way is not available and to use the printed code — the code is never shown
 * to the school or written anywhere else instead.
 */
export type ContactChannel = 'email' | 'sms';
export type ContactMessage = { channel: ContactChannel; to: string; subject: string; text: string };
export type ContactCodeSender = { channels: readonly ContactChannel[]; send: (message: ContactMessage) => Promise<void> };

let current: ContactCodeSender | null = null;

/** Plugs in (or, with null, removes) the sender; returns the one it replaced. */
export function setContactCodeSender(sender: ContactCodeSender | null): ContactCodeSender | null {
  const before = current;
  current = sender;
  return before;
}

/**
 * The sender plugged in, or else the contact book's e-mail channel when this server sends e-mail
 * (SMTP_URL): a code to a guardian's e-mail on record goes out as any notice's e-mail does.
 */
export const contactCodeSender = (): ContactCodeSender | null => current ?? (emailConfigured() ? emailSender : null);

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const emailSender: ContactCodeSender = {
  channels: ['email'],
  send: (m) => sendMail({ to: m.to, subject: m.subject, text: m.text, html: `<p>${escapeHtml(m.text).replace(/\n/g, '<br>')}</p>`, messageId: `contact-code-${crypto.randomUUID()}` }),
};
