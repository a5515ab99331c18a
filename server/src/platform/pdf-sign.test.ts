import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { SIGNED_AT, type TestIdentity, identity, pkcs12 } from '../../test/test-certificates.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHocBaPdf } from '../modules/gradebook/hoc-ba-pdf.js';
import { SAMPLE_HOC_BA } from '../modules/gradebook/hoc-ba-pdf.test-helpers.js';
import { pdfPageTexts } from '../../test/pdf-text.js';
import { AppError } from './errors.js';
import { buildPdfTable } from './pdf-table.js';
import { MAX_PKCS12_ITERATIONS, loadPkcs12, signPdf, verifyPdfSignature, type PdfSignInfo } from './pdf-sign.js';

const SCHOOL = 'Trường THCS Nguyễn Tri Phương';
const INFO: PdfSignInfo = { reason: 'Phê duyệt học bạ năm học 2024-2025', name: 'Hoàng Văn Thái', location: 'Thành phố Huế', signingTime: SIGNED_AT };
const PASS = 'mật-khẩu đủ dài';

/** The CMS and the signed bytes of a signed PDF, for checking with another implementation. */
function signedParts(pdf: Buffer): { cms: Buffer; content: Buffer; range: number[] } {
  const m = /\/ByteRange \[(\d+) (\d+) (\d+) (\d+)\]/.exec(pdf.toString('latin1'));
  if (!m) throw new Error('no /ByteRange');
  const [a, b, c, d] = m.slice(1).map(Number);
  const contents = Buffer.from(pdf.subarray(b + 1, c - 1).toString('latin1'), 'hex');
  const length = contents[1] === 0x82 ? contents.readUInt16BE(2) + 4 : contents[1] === 0x83 ? contents.readUIntBE(2, 3) + 5 : NaN;
  return { cms: contents.subarray(0, length), content: Buffer.concat([pdf.subarray(a, b), pdf.subarray(c, c + d)]), range: [a, b, c, d] };
}

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** What opening a PKCS#12 comes to (an AppError's code, or 'opened') and how long it took. */
function opening(file: Buffer, passphrase: string) {
  const started = performance.now();
  try {
    loadPkcs12(file, passphrase);
  } catch (e) {
    return { code: e instanceof AppError ? e.code : String(e), ms: performance.now() - started };
  }
  return { code: 'opened', ms: performance.now() - started };
}

describe('PDF signing (PAdES-B-B, PKCS#12)', () => {
  let root: TestIdentity;
  let school: TestIdentity;
  let p12: Buffer;
  let hocBa: Buffer;
  let signed: Buffer;
  let dir: string;

  beforeAll(async () => {
    // A school certificate issued by a test CA, as a real one is issued by the VGCA: the chain travels in the .p12.
    root = identity('CA thử nghiệm Trường Số', { serial: '01', ca: true });
    school = identity(SCHOOL, { issuer: root, serial: '5a17' });
    p12 = pkcs12(school, [root], PASS);
    hocBa = await renderHocBaPdf(SAMPLE_HOC_BA);
    signed = signPdf(hocBa, p12, PASS, INFO);
    dir = mkdtempSync(path.join(tmpdir(), 'pdf-sign-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('signs a học bạ: valid, by the school certificate (not its CA), at the claimed time, covering the whole file', () => {
    expect(verifyPdfSignature(signed)).toEqual({ valid: true, signer: SCHOOL, signedAt: SIGNED_AT, coversWholeFile: true, reason: INFO.reason });
    // An incremental update: the rendered file is untouched at the front, and the PAdES fields are there.
    expect(signed.subarray(0, hocBa.length).equals(hocBa)).toBe(true);
    const update = signed.subarray(hocBa.length).toString('latin1');
    expect(update).toContain('/Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached');
    expect(update).toContain('/M (D:20250530081500Z)');
  });

  it('leaves the document readable, page for page, with its Vietnamese text', async () => {
    expect(await pdfPageTexts(signed)).toEqual(await pdfPageTexts(hocBa));
  });

  it('fails when any byte of either signed range is changed', () => {
    const { range } = signedParts(signed);
    const [, b, c] = range;
    const spots = [0, 9, Math.floor(b / 3), Math.floor(b / 2), b - 1, c, c + 20, Math.floor((c + signed.length) / 2), signed.length - 2];
    for (const at of spots) {
      const tampered = Buffer.from(signed);
      tampered[at] ^= 0x01;
      const check = verifyPdfSignature(tampered);
      expect(check.valid, `byte ${at}: ${check.problem}`).toBe(false);
    }
    // The reason text inside the signature dictionary is signed too.
    const reasonAt = signed.indexOf(Buffer.from('/Reason <FEFF', 'latin1'));
    const tampered = Buffer.from(signed);
    tampered[reasonAt + 14] = tampered[reasonAt + 14] === 0x30 ? 0x31 : 0x30;
    expect(verifyPdfSignature(tampered)).toMatchObject({ valid: false, problem: expect.stringContaining('message digest') as unknown });
  });

  it('fails when the CMS in /Contents is changed: the signature value, a signed attribute, the certificate, the padding', () => {
    const { cms, range } = signedParts(signed);
    const contentsHex = range[1] + 1;
    const flipHexDigit = (byteIndex: number): Buffer => {
      const out = Buffer.from(signed);
      const at = contentsHex + 2 * byteIndex;
      out[at] = out[at] === 0x30 ? 0x31 : 0x30;
      return out;
    };
    const digest = createHash('sha256').update(signedParts(signed).content).digest();
    const targets = {
      'signature value (last byte of the CMS)': cms.length - 1,
      'message-digest attribute': cms.indexOf(digest) + 5,
      'signer certificate (its subject)': cms.indexOf(Buffer.from(SCHOOL, 'utf8')),
      'zero padding after the CMS': cms.length + 10,
    };
    for (const [what, index] of Object.entries(targets)) {
      expect(index, what).toBeGreaterThan(0);
      const check = verifyPdfSignature(flipHexDigit(index));
      expect(check.valid, `${what}: ${check.problem}`).toBe(false);
    }
  });

  it('reports content appended after signing: the signed part is intact but does not cover the file', () => {
    const appended = Buffer.concat([signed, Buffer.from('\n% added after signing\n')]);
    expect(verifyPdfSignature(appended)).toMatchObject({ valid: true, coversWholeFile: false });
  });

  it('finds no signature in an unsigned PDF', async () => {
    const plain = await buildPdfTable(['Danh sách'], [{ header: 'Tên', width: 100, value: (r: { n: string }) => r.n }], [{ n: 'An' }]);
    expect(verifyPdfSignature(plain)).toMatchObject({ valid: false, coversWholeFile: false });
  });

  it('refuses a wrong passphrase, a key without its certificate and a certificate not valid at signing time', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof AppError ? e.code : String(e);
      }
      return 'no error';
    };
    expect(code(() => signPdf(hocBa, p12, 'sai mật khẩu', INFO))).toBe('p12_unreadable');
    const stranger = identity('Người lạ', { serial: '99' });
    const mismatched = Buffer.from(forge.asn1.toDer(forge.pkcs12.toPkcs12Asn1(school.key, [stranger.cert], PASS, { algorithm: '3des' })).getBytes(), 'binary');
    expect(code(() => signPdf(hocBa, mismatched, PASS, INFO))).toBe('p12_no_certificate');
    const expired = identity(SCHOOL, { serial: '0e', from: new Date('2020-01-01'), to: new Date('2021-01-01') });
    expect(code(() => signPdf(hocBa, pkcs12(expired, [], PASS), PASS, INFO))).toBe('certificate_not_valid');
  });

  it('refuses, at once, a PKCS#12 asking for more key-derivation rounds than the limit (its MAC or its key bag)', () => {
    // The attack as it was found: an ordinary file whose MAC round count is edited to 8,388,607
    // (33 s of the server's only thread before the limit).
    const pfx = forge.pkcs12.toPkcs12Asn1(school.key, [school.cert], PASS, { algorithm: '3des' });
    const macData = (pfx.value as forge.asn1.Asn1[])[2];
    (macData.value as forge.asn1.Asn1[])[2].value = forge.asn1.integerToDer(8_388_607).getBytes();
    const macAttack = opening(Buffer.from(forge.asn1.toDer(pfx).getBytes(), 'binary'), PASS);
    expect(macAttack.code).toBe('p12_too_many_iterations');
    expect(macAttack.ms).toBeLessThan(1000);
  });

  it('keeps the certificates byte for byte as the CA issued them', () => {
    const loaded = loadPkcs12(p12, PASS);
    expect(loaded.certificate.equals(school.der)).toBe(true);
    expect(loaded.chain.map((c) => c.toString('hex'))).toEqual([root.der.toString('hex')]);
  });

  it.runIf(hasOpenssl)('is accepted by OpenSSL: the CMS verifies over the byte ranges, with signing-certificate-v2 and no signing-time', () => {
    const { cms, content } = signedParts(signed);
    writeFileSync(path.join(dir, 'sig.der'), cms);
    writeFileSync(path.join(dir, 'content.bin'), content);
    writeFileSync(path.join(dir, 'ca.pem'), forge.pki.certificateToPem(root.cert));
    // -attime: the test certificates are valid around SIGNED_AT, whatever today is.
    const args = ['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'sig.der', '-content', 'content.bin', '-CAfile', 'ca.pem', '-purpose', 'any', '-attime', String(SIGNED_AT.getTime() / 1000), '-out', '/dev/null'];
    expect(execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }).toString() + 'ok').toContain('ok');
    const printed = execFileSync('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', 'sig.der'], { cwd: dir }).toString();
    expect(printed).toContain('id-smime-aa-signingCertificateV2');
    expect(printed).toContain('messageDigest');
    expect(printed).not.toContain('signingTime');
    // A byte changed in the content: OpenSSL refuses it too.
    const changed = Buffer.from(content);
    changed[100] ^= 1;
    writeFileSync(path.join(dir, 'content.bin'), changed);
    expect(() => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' })).toThrow();
  });

  it.runIf(hasOpenssl)('opens a .p12 exported by OpenSSL 3 (AES-256, PBKDF2), as a school would upload it', () => {
    writeFileSync(path.join(dir, 'key.pem'), school.keyPem);
    writeFileSync(path.join(dir, 'cert.pem'), forge.pki.certificateToPem(school.cert));
    const exported = (passphrase: string) => {
      execFileSync('openssl', ['pkcs12', '-export', '-inkey', 'key.pem', '-in', 'cert.pem', '-passout', `pass:${passphrase}`, '-out', 'school.p12'], { cwd: dir, stdio: 'ignore' });
      return readFileSync(path.join(dir, 'school.p12'));
    };
    const again = signPdf(hocBa, exported('Truong-So 2025!'), 'Truong-So 2025!', INFO);
    expect(verifyPdfSignature(again)).toMatchObject({ valid: true, signer: SCHOOL, coversWholeFile: true });
    // Known limit (node-forge): an AES-encrypted file with a Vietnamese passphrase does not open; the message says what to do.
    expect(() => signPdf(hocBa, exported('bí mật'), 'bí mật', INFO)).toThrow(/mật khẩu không dấu/);
  });

  it.runIf(hasOpenssl)('refuses a .p12 whose encrypted bags ask for one round over the limit; at the limit it opens', () => {
    writeFileSync(path.join(dir, 'key.pem'), school.keyPem);
    writeFileSync(path.join(dir, 'cert.pem'), forge.pki.certificateToPem(school.cert));
    const exported = (rounds: number) => {
      const args = ['pkcs12', '-export', '-inkey', 'key.pem', '-in', 'cert.pem', '-passout', 'pass:Truong-So', '-iter', String(rounds), '-nomac', '-out', 'rounds.p12'];
      execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
      return readFileSync(path.join(dir, 'rounds.p12'));
    };
    expect(opening(exported(MAX_PKCS12_ITERATIONS + 1), 'Truong-So').code).toBe('p12_too_many_iterations');
    expect(opening(exported(MAX_PKCS12_ITERATIONS), 'Truong-So').code).toBe('opened');
  });
});
