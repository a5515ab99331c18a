/**
 * Local ends of the contact book's channels, for tests and the bench: an SMTP server
 * (`smtp-server`) that keeps what arrives, an HTTP webhook receiver that checks the signature,
 * and an HTTPS push endpoint that accepts Web Push requests (RFC 8030/8291) and decrypts them
 * with a subscription's keys made here, as a browser would.
 */
import { createECDH, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import forge from 'node-forge';
import { SMTPServer } from 'smtp-server';
// http_ece is what web-push encrypts with; the receiving side decrypts with it.
import ece from 'http_ece';
import { verifyWebhook } from '../src/modules/notifications/channels/webhook.js';

export type ArrivedMail = { messageId: string; to: string; subject: string; text: string; raw: string };

/** Decodes the parts of a simple nodemailer message (base64 or quoted-printable text and html). */
function decodeMail(raw: string): { subject: string; text: string; messageId: string; to: string } {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(unfolded)?.[1]?.trim() ?? '';
  const words = (s: string) =>
    s.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_m, enc: string, data: string) =>
      enc.toLowerCase() === 'b' ? Buffer.from(data, 'base64').toString('utf8') : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
    );
  const body = rest.join('\n\n');
  // Every base64 block of the body decoded (text and html parts), so the checks read what a person reads.
  const decoded = body
    .split(/\r?\n--/)
    .map((part) => {
      const [h = '', ...b] = part.split(/\r?\n\r?\n/);
      const content = b.join('\n\n');
      if (/content-transfer-encoding:\s*base64/i.test(h)) return Buffer.from(content.replace(/\s+/g, ''), 'base64').toString('utf8');
      if (/content-transfer-encoding:\s*quoted-printable/i.test(h)) return Buffer.from(content.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_x, hx: string) => String.fromCharCode(parseInt(hx, 16))), 'latin1').toString('utf8');
      return content;
    })
    .join('\n');
  return { subject: words(header('Subject')), text: decoded, messageId: header('Message-ID'), to: header('To') };
}

/**
 * `dir`: each mail that arrives is also written there as JSON (one file, written whole), for readers
 * in other processes — the e2e files read the one receiver their global setup keeps up (e2e/mailbox.ts).
 */
export async function startSmtp(opts: { failFirst?: number; port?: number; dir?: string } = {}) {
  const arrived: ArrivedMail[] = [];
  let refuse = opts.failFirst ?? 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 1024 * 1024,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (refuse > 0) {
          refuse--;
          return callback(Object.assign(new Error('Mailbox temporarily unavailable'), { responseCode: 451 }));
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const m = decodeMail(raw);
        const mail = { ...m, to: session.envelope.rcptTo.map((r) => r.address).join(','), raw };
        arrived.push(mail);
        if (opts.dir) writeFileSync(`${opts.dir}/${String(arrived.length).padStart(6, '0')}.json`, JSON.stringify(mail));
        callback();
      });
    },
  });
  // A sender killed mid-conversation resets its socket: that is the sender's problem, not the receiver's.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    arrived,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type ArrivedHook = { delivery: string; body: Record<string, unknown>; raw: string; signed: boolean };

export async function startWebhookReceiver(secret: string, opts: { failFirst?: number } = {}) {
  const arrived: ArrivedHook[] = [];
  let refuse = opts.failFirst ?? 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      if (refuse > 0) {
        refuse--;
        res.writeHead(503).end();
        return;
      }
      const signed = verifyWebhook(secret, { timestamp: req.headers['x-truongso-timestamp'] as string, signature: req.headers['x-truongso-signature'] as string }, raw);
      arrived.push({ delivery: String(req.headers['x-truongso-delivery']), body: JSON.parse(raw) as Record<string, unknown>, raw, signed });
      res.writeHead(signed ? 204 : 401).end();
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/hook`, arrived, raw: () => arrived.map((a) => a.raw).join("\n"), close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function selfSigned(): { key: string; cert: string } {
  const keys = forge.pki.rsa.generateKeyPair(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  const attrs = [{ name: 'commonName', value: '127.0.0.1' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { key: forge.pki.privateKeyToPem(keys.privateKey), cert: forge.pki.certificateToPem(cert) };
}

export type ArrivedPush = { path: string; topic: string; payload: Record<string, unknown>; plain: string };

/**
 * A push service on 127.0.0.1 over HTTPS (web-push speaks only HTTPS): each `subscription()` is a
 * browser's, with its own P-256 key and auth secret; what arrives is decrypted with them.
 * `gone`: endpoints that answer 410 (the browser unsubscribed).
 */
export async function startPushEndpoint() {
  const arrived: ArrivedPush[] = [];
  const browsers = new Map<string, { ecdh: ReturnType<typeof createECDH>; auth: Buffer }>();
  const gone = new Set<string>();
  const tls = selfSigned();
  const server = https.createServer(tls, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      if (gone.has(path)) return void res.writeHead(410).end();
      const b = browsers.get(path);
      if (!b || !String(req.headers.authorization ?? '').startsWith('vapid ')) return void res.writeHead(400).end();
      const plain = (ece.decrypt(Buffer.concat(chunks), { version: 'aes128gcm', privateKey: b.ecdh, authSecret: b.auth.toString('base64url') }) as Buffer).toString('utf8');
      arrived.push({ path, topic: String(req.headers.topic ?? ''), payload: JSON.parse(plain) as Record<string, unknown>, plain });
      res.writeHead(201).end();
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const base = `https://127.0.0.1:${port}`;
  return {
    base,
    arrived,
    agent: new https.Agent({ ca: tls.cert, keepAlive: true, maxSockets: 16 }),
    /** A new browser's subscription, as PushManager.subscribe gives it. */
    subscription: () => {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      const path = `/push/${randomBytes(8).toString('hex')}`;
      browsers.set(path, { ecdh, auth });
      return { endpoint: `${base}${path}`, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') } };
    },
    unsubscribe: (endpoint: string) => gone.add(new URL(endpoint).pathname),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
