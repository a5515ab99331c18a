import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

// Test certificates made in-process: a key pair (Node's generator, fast) and an X.509 certificate
// for it, self-signed or issued by a test CA, and their PKCS#12 — what a school would upload.

export const DAY = 86_400_000;
export const SIGNED_AT = new Date('2025-05-30T08:15:00Z');

export type TestIdentity = { key: forge.pki.rsa.PrivateKey; cert: forge.pki.Certificate; der: Buffer; keyPem: string };

/** An RSA key (Node's generator: fast) and a certificate for it, self-signed or issued by `issuer`. */
export function identity(commonName: string, opts: { issuer?: TestIdentity; serial: string; ca?: boolean; from?: Date; to?: Date }): TestIdentity {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(pair.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(pair.publicKey.export({ type: 'spki', format: 'pem' }) as string);
  cert.serialNumber = opts.serial;
  cert.validity.notBefore = opts.from ?? new Date(SIGNED_AT.getTime() - 365 * DAY);
  cert.validity.notAfter = opts.to ?? new Date(SIGNED_AT.getTime() + 365 * DAY);
  // UTF8String, as Vietnamese CAs write names (forge encodes the JavaScript string itself).
  const subject = [{ shortName: 'CN', value: commonName, valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class }, { shortName: 'C', value: 'VN' }];
  cert.setSubject(subject);
  cert.setIssuer(opts.issuer ? opts.issuer.cert.subject.attributes : subject);
  if (opts.ca) cert.setExtensions([{ name: 'basicConstraints', cA: true }]);
  cert.sign(opts.issuer?.key ?? key, forge.md.sha256.create());
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  return { key, cert, der, keyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}

export function pkcs12(owner: TestIdentity, chain: TestIdentity[], passphrase: string): Buffer {
  const asn1 = forge.pkcs12.toPkcs12Asn1(owner.key, [owner.cert, ...chain.map((c) => c.cert)], passphrase, { algorithm: '3des' });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

