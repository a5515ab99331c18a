/**
 * Digital signatures on finished PDFs (a học bạ, a class summary), PAdES style: the signature is
 * a detached CMS (CAdES) over the whole file except the signature's own /Contents, appended as an
 * incremental update so the signed file still opens everywhere.
 *
 * Who signs, in a real deployment. A public school signs its học bạ with its unit-seal
 * certificate ("chứng thư số của cơ quan, tổ chức"), issued by the Government CA (VGCA, Ban Cơ
 * yếu Chính phủ) on a USB token; private schools use a licensed commercial CA; staff have personal
 * certificates (domain-vn §3). A token's private key never leaves the token, so a server cannot
 * hold it. Two designs follow:
 *   1. the school uploads a PKCS#12 (.p12/.pfx) export of a certificate whose key may leave its
 *      device (e.g. a commercial CA's "HSM/file" certificate, or a test certificate), and the
 *      server signs — `signPdf`, implemented here;
 *   2. the server prepares the file and the byte-range digest (`preparePdfSignature`), a desktop
 *      signer on the principal's computer with the token builds the CMS, and the server embeds it
 *      (`embedPdfSignature`). The seam exists and `signPdf` goes through it; the desktop side and
 *      its protocol are not built, and no real token has been tried.
 *
 * PAdES baseline B-B (ETSI EN 319 142-1): /SubFilter /ETSI.CAdES.detached; signed attributes
 * content-type, message-digest and signing-certificate-v2 (the signer's certificate hash, so the
 * certificate cannot be swapped); no signing-time attribute — the claimed time is the signature
 * dictionary's /M. No timestamp (B-T) or revocation data (B-LT). Built to that profile; not run
 * through an ETSI conformance checker (EU DSS) here.
 *
 * Why not @signpdf: its placeholder writer re-encodes UTF-16 strings as UTF-8, so a Vietnamese
 * /Reason or /Name arrives garbled (vbuch/node-signpdf#174, closed "wontfix"; seen here too), and
 * its P12 signer writes adbe.pkcs7.detached with a signing-time attribute and no
 * signing-certificate-v2, which is not B-B. What is left (the byte-range splice) is a few lines.
 * node-forge is used for what Node's crypto cannot do: opening a PKCS#12.
 */
import { X509Certificate, createHash, createPrivateKey, createPublicKey, sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { formatVnDateTime } from '../../../domain/index.js';
import { badRequest } from './errors.js';

export type PdfSignInfo = {
  /** Why: "Phê duyệt học bạ năm học 2024-2025". */
  reason: string;
  /** Who, as the signer's name shown by readers (usually the certificate's holder). */
  name: string;
  /** Where: "Thành phố Huế". */
  location: string;
  contactInfo?: string;
  /** The claimed signing time (/M); now by default. A server passes none: a time chosen by a user could reach back into an expired certificate's validity. */
  signingTime?: Date;
};

export type PdfSignatureCheck = {
  /**
   * The signed bytes are unchanged and the CMS signature verifies with the public key of the
   * certificate it names. Not checked: whether that certificate is trusted (chain to the VGCA or a
   * licensed CA root), revoked, or was valid at the time — a reader such as Adobe or the Ministry's
   * validator does that against its trust list.
   */
  valid: boolean;
  /** The signer certificate's common name (CN). */
  signer?: string;
  /** The signing-time attribute if the CMS has one, else the signature dictionary's /M. */
  signedAt?: Date;
  /** The signature covers every byte of the file: nothing was appended after signing. */
  coversWholeFile: boolean;
  reason?: string;
  /** Why `valid` is false, for logs and support (English, not shown to users as is). */
  problem?: string;
};

// ---------------------------------------------------------------------------------------------
// DER, just what CMS needs: read tag-length-value at offsets (so signed bytes are taken exactly as
// they are in the file, never re-encoded) and write the few structures we build.
// ---------------------------------------------------------------------------------------------

type Tlv = { tag: number; start: number; body: number; end: number };

function readTlv(buf: Buffer, pos: number, limit = buf.length): Tlv {
  if (pos + 2 > limit) throw new Error('DER: truncated');
  const tag = buf[pos];
  if ((tag & 0x1f) === 0x1f) throw new Error('DER: multi-byte tags are not used by CMS');
  let len = buf[pos + 1];
  let body = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new Error('DER: indefinite or oversized length (BER) is not supported');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[body + i];
    body += n;
  }
  if (body + len > limit) throw new Error('DER: length runs past its container');
  return { tag, start: pos, body, end: body + len };
}
function childrenOf(buf: Buffer, t: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let p = t.body; p < t.end; ) {
    const c = readTlv(buf, p, t.end);
    out.push(c);
    p = c.end;
  }
  return out;
}
const bytesOf = (buf: Buffer, t: Tlv): Buffer => buf.subarray(t.start, t.end);
const bodyOf = (buf: Buffer, t: Tlv): Buffer => buf.subarray(t.body, t.end);

function oidToString(b: Buffer): string {
  const arcs = [Math.floor(b[0] / 40), b[0] % 40];
  let v = 0;
  for (const byte of b.subarray(1)) {
    v = v * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      arcs.push(v);
      v = 0;
    }
  }
  return arcs.join('.');
}

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const der = (tag: number, ...parts: Buffer[]): Buffer => {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
};
const SEQ = (...p: Buffer[]) => der(0x30, ...p);
const SET = (...p: Buffer[]) => der(0x31, ...p);
function OID(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [40 * a + b];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return der(0x06, Buffer.from(out));
}
/** DER orders the members of a SET OF by their encodings (X.690 11.6): signed attributes must be. */
const derSetOf = (tag: number, members: Buffer[]) => der(tag, ...[...members].sort((x, y) => Buffer.compare(x, y)));

const OIDS = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  commonName: '2.5.4.3',
} as const;

/** Digest algorithms a verifier accepts, by OID. */
const DIGESTS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
/** Signature algorithms with PKCS#1 v1.5 or ECDSA semantics (what Node's verify does by default). */
const SIGNATURE_ALGORITHMS = new Set([
  '1.2.840.113549.1.1.1', // rsaEncryption
  '1.2.840.113549.1.1.5',
  '1.2.840.113549.1.1.11',
  '1.2.840.113549.1.1.12',
  '1.2.840.113549.1.1.13',
  '1.2.840.10045.2.1', // id-ecPublicKey, written by some signers instead of ecdsa-with-SHAx
  '1.2.840.10045.4.3.2',
  '1.2.840.10045.4.3.3',
  '1.2.840.10045.4.3.4',
]);

/** The parts of a certificate the CMS refers to: issuer Name and serial (DER), subject CN. */
function certificateParts(cert: Buffer): { issuer: Buffer; serial: Buffer; subject: Tlv } {
  const top = readTlv(cert, 0);
  const tbs = childrenOf(cert, childrenOf(cert, top)[0]);
  const i = tbs[0].tag === 0xa0 ? 1 : 0; // [0] version is present in v3 certificates
  return { serial: bytesOf(cert, tbs[i]), issuer: bytesOf(cert, tbs[i + 2]), subject: tbs[i + 4] };
}

/** The CN of a Name, whatever string type it was written in (UTF8String for Vietnamese names). */
function commonName(buf: Buffer, name: Tlv): string | undefined {
  for (const rdn of childrenOf(buf, name)) {
    for (const atv of childrenOf(buf, rdn)) {
      const [type, value] = childrenOf(buf, atv);
      if (oidToString(bodyOf(buf, type)) !== OIDS.commonName) continue;
      const raw = bodyOf(buf, value);
      if (value.tag === 0x1e) return Buffer.from(raw).swap16().toString('utf16le'); // BMPString
      return value.tag === 0x0c ? raw.toString('utf8') : raw.toString('latin1');
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// PKCS#12
// ---------------------------------------------------------------------------------------------

/** A private key with its certificate (DER) and the rest of the chain (DER), as a PKCS#12 holds them. */
export type PdfSigner = { key: KeyObject; certificate: Buffer; chain: Buffer[] };

/**
 * A certificate out of node-forge as DER. forge keeps the signed part (tbsCertificate) as read
 * but rebuilds the outer signature algorithm; RFC 5280 4.1.1.2 requires the outer one to equal the
 * one inside the signed part, so it is copied from there — the bytes are then exactly the CA's.
 */
function certificateDer(cert: forge.pki.Certificate): Buffer {
  const rebuilt = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  const [tbs, , signature] = childrenOf(rebuilt, readTlv(rebuilt, 0));
  const tbsFields = childrenOf(rebuilt, tbs);
  const innerAlgorithm = tbsFields[tbsFields[0].tag === 0xa0 ? 2 : 1];
  return SEQ(bytesOf(rebuilt, tbs), bytesOf(rebuilt, innerAlgorithm), bytesOf(rebuilt, signature));
}

const spki = (key: KeyObject) => key.export({ type: 'spki', format: 'der' });

/**
 * The most key-derivation rounds a PKCS#12 may ask for. The file itself says how many rounds its
 * MAC and its encrypted bags take, and node-forge runs them on the request's thread: a 1.4 KB file
 * asking for 8 million rounds held the whole server for 33 s. Exports use 2,000 (Windows), 2,048
 * (OpenSSL) or 10,000 (Java); 100,000 rounds take about 0.3 s here.
 */
export const MAX_PKCS12_ITERATIONS = 100_000;

class TooManyIterations extends Error {}

/**
 * node-forge derives every PKCS#12 key through these three functions, looked up on its objects at
 * each call (the MAC through `pkcs12.generateKey`, the PKCS#12 PBE bags through
 * `pki.pbe.generatePkcs12Key`, PBES2 bags through `pkcs5.pbkdf2`): each is wrapped once so a round
 * count over the limit stops before any work.
 */
function limitKeyDerivation(owner: object, name: string, iterationsAt: number) {
  const table = owner as Record<string, (...args: unknown[]) => unknown>;
  const original = table[name];
  table[name] = (...args: unknown[]) => {
    const iterations = Number(args[iterationsAt]);
    if (!(iterations <= MAX_PKCS12_ITERATIONS)) throw new TooManyIterations();
    return original(...args);
  };
}
limitKeyDerivation(forge.pkcs12, 'generateKey', 3);
limitKeyDerivation((forge.pki as unknown as { pbe: object }).pbe, 'generatePkcs12Key', 3);
limitKeyDerivation(forge.pkcs5, 'pbkdf2', 2);

/** The private key and its certificate (plus any chain) from a PKCS#12 file. */
export function loadPkcs12(p12: Buffer, passphrase: string): PdfSigner {
  let bags: forge.pkcs12.Bag[];
  try {
    const parsed = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(p12.toString('binary'))), false, passphrase);
    bags = parsed.safeContents.flatMap((c) => c.safeBags);
  } catch (e) {
    if (e instanceof TooManyIterations) {
      throw badRequest(
        'p12_too_many_iterations',
        `Tệp chứng thư số (.p12/.pfx) đòi hơn ${MAX_PKCS12_ITERATIONS.toLocaleString('vi-VN')} vòng lặp để mở khoá, quá nhiều để xử lý trên máy chủ. Hãy xuất lại tệp với thiết lập mặc định của công cụ ký.`,
      );
    }
    // node-forge derives AES (PBES2) keys from the passphrase's UTF-16 code units where OpenSSL
    // and Windows use its UTF-8 bytes: a passphrase with Vietnamese letters then never matches.
    const hint = /[^\x20-\x7e]/.test(passphrase) ? ' Nếu mật khẩu có dấu tiếng Việt, hãy xuất lại tệp với mật khẩu không dấu.' : '';
    throw badRequest('p12_unreadable', `Không mở được tệp chứng thư số (.p12/.pfx): sai mật khẩu hoặc tệp không đúng định dạng.${hint}`);
  }
  const keys = bags.filter((b) => b.key).map((b) => b.key as forge.pki.rsa.PrivateKey);
  if (keys.length !== 1) throw badRequest('p12_no_key', 'Tệp chứng thư số phải chứa đúng một khoá bí mật (khoá RSA).');
  const key = createPrivateKey(forge.pki.privateKeyToPem(keys[0]));
  const certificates = bags.flatMap((b) => (b.cert ? [certificateDer(b.cert)] : []));
  const own = spki(createPublicKey(key));
  const certificate = certificates.find((c) => spki(new X509Certificate(c).publicKey).equals(own));
  if (!certificate) throw badRequest('p12_no_certificate', 'Tệp chứng thư số không có chứng thư ứng với khoá bí mật.');
  return { key, certificate, chain: certificates.filter((c) => c !== certificate) };
}

// ---------------------------------------------------------------------------------------------
// The PDF side: a signature field appended as an incremental update
// ---------------------------------------------------------------------------------------------

const BYTE_RANGE_PLACEHOLDER = '/ByteRange [0 0000000000 0000000000 0000000000]';

/** A text string (ISO 32000 7.9.2.2) as UTF-16BE hex with its byte-order mark: any language, nothing to escape. */
const pdfText = (s: string) => `<FEFF${Buffer.from(s.normalize('NFC'), 'utf16le').swap16().toString('hex').toUpperCase()}>`;
const pdfDate = (d: Date) => `(D:${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z)`;

type XrefInfo = { offsets: Map<number, { offset: number; gen: number }>; size: number; root: string; info?: string; id?: string; startxref: number };

/** The cross-reference tables (classic, as pdfkit writes them), newest first, following /Prev. */
function readXref(pdf: Buffer): XrefInfo {
  const tail = pdf.subarray(Math.max(0, pdf.length - 1024)).toString('latin1');
  const m = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!m) throw new Error('PDF: no startxref at the end of the file');
  const startxref = Number(m[1]);
  const offsets: XrefInfo['offsets'] = new Map();
  let trailer: string | undefined;
  for (let at: number | undefined = startxref, guard = 0; at !== undefined && guard < 100; guard++) {
    const section = pdf.subarray(at, pdf.indexOf('startxref', at) === -1 ? pdf.length : pdf.indexOf('startxref', at)).toString('latin1');
    if (!section.startsWith('xref')) throw new Error('PDF: cross-reference streams are not supported (classic xref tables only)');
    const trailerAt = section.indexOf('trailer');
    const table = section.slice(4, trailerAt);
    const sub = /(\d+)\s+(\d+)\s*[\r\n]+/y;
    for (let p = table.search(/\d/); p >= 0 && p < table.length; ) {
      sub.lastIndex = p;
      const s = sub.exec(table);
      if (!s) break;
      const first = Number(s[1]);
      const count = Number(s[2]);
      const entries = table.slice(sub.lastIndex).match(/(\d{10}) (\d{5}) ([nf])/g) ?? [];
      for (let i = 0; i < count; i++) {
        const [offset, gen, kind] = entries[i].split(' ');
        if (kind === 'n' && !offsets.has(first + i)) offsets.set(first + i, { offset: Number(offset), gen: Number(gen) });
      }
      p = sub.lastIndex + count * 20;
      while (p < table.length && /\s/.test(table[p])) p++;
    }
    const t = section.slice(trailerAt);
    trailer ??= t;
    const prev = /\/Prev\s+(\d+)/.exec(t);
    at = prev ? Number(prev[1]) : undefined;
  }
  if (!trailer) throw new Error('PDF: no trailer');
  const size = /\/Size\s+(\d+)/.exec(trailer);
  const root = /\/Root\s+(\d+\s+\d+\s+R)/.exec(trailer);
  if (!size || !root) throw new Error('PDF: trailer without /Size or /Root');
  return { offsets, size: Number(size[1]), root: root[1], info: /\/Info\s+(\d+\s+\d+\s+R)/.exec(trailer)?.[1], id: /\/ID\s*(\[[^\]]*\])/.exec(trailer)?.[1], startxref };
}

/** An object's dictionary text (not for streams) and its generation. */
function readObject(pdf: Buffer, xref: XrefInfo, num: number): { dict: string; gen: number } {
  const at = xref.offsets.get(num);
  if (!at) throw new Error(`PDF: object ${num} is not in the cross-reference table`);
  const end = pdf.indexOf('endobj', at.offset);
  const text = pdf.subarray(at.offset, end).toString('latin1');
  const head = new RegExp(`^\\s*${num}\\s+${at.gen}\\s+obj\\s*`).exec(text);
  if (!head || /\bstream\b/.test(text)) throw new Error(`PDF: object ${num} is not a plain dictionary`);
  return { dict: text.slice(head[0].length).trim(), gen: at.gen };
}
const refNumber = (ref: string) => Number(ref.trim().split(/\s+/)[0]);
/** The dictionary with entries added before its closing ">>". */
const withEntries = (dict: string, entries: string) => `${dict.slice(0, dict.lastIndexOf('>>'))}${entries}\n>>`;

function firstPage(pdf: Buffer, xref: XrefInfo, catalog: string): number {
  let node = refNumber(/\/Pages\s+(\d+\s+\d+\s+R)/.exec(catalog)?.[1] ?? '');
  for (let depth = 0; depth < 32; depth++) {
    const { dict } = readObject(pdf, xref, node);
    if (/\/Type\s*\/Page\b(?!s)/.test(dict)) return node;
    const kid = /\/Kids\s*\[\s*(\d+\s+\d+\s+R)/.exec(dict);
    if (!kid) break;
    node = refNumber(kid[1]);
  }
  throw new Error('PDF: no page found');
}

/** A PDF with an empty signature in place, where the CMS goes, and the digest it must sign. */
export type PreparedPdfSignature = { pdf: Buffer; contentsStart: number; contentsEnd: number; digest: Buffer };

/**
 * Appends an invisible signature field on the first page and its signature dictionary with room
 * for `contentsBytes` of CMS, fills in /ByteRange, and returns the SHA-256 of the signed ranges —
 * what a signer (this server, or a desktop signer with a token) signs.
 */
export function preparePdfSignature(pdf: Buffer, info: PdfSignInfo, contentsBytes = 16_384): PreparedPdfSignature {
  const xref = readXref(pdf);
  const catalog = readObject(pdf, xref, refNumber(xref.root));
  if (/\/AcroForm\b/.test(catalog.dict)) throw new Error('PDF: the document already has a form; only fresh documents are signed here');
  const pageNum = firstPage(pdf, xref, catalog.dict);
  const page = readObject(pdf, xref, pageNum);
  const [sigNum, widgetNum, formNum] = [xref.size, xref.size + 1, xref.size + 2];

  const sig = [
    '<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached',
    BYTE_RANGE_PLACEHOLDER,
    `/Contents <${'0'.repeat(contentsBytes * 2)}>`,
    `/M ${pdfDate(info.signingTime ?? new Date())}`,
    `/Name ${pdfText(info.name)} /Reason ${pdfText(info.reason)} /Location ${pdfText(info.location)}`,
    info.contactInfo ? `/ContactInfo ${pdfText(info.contactInfo)}` : '',
    '>>',
  ].join('\n');
  let pageDict: string;
  const annots = /\/Annots\s*\[/.exec(page.dict);
  if (annots) pageDict = page.dict.slice(0, annots.index + annots[0].length) + `${widgetNum} 0 R ` + page.dict.slice(annots.index + annots[0].length);
  else if (/\/Annots\b/.test(page.dict)) throw new Error('PDF: the first page refers to its annotations indirectly; not supported');
  else pageDict = withEntries(page.dict, `\n/Annots [${widgetNum} 0 R]`);
  const objects: Array<[number, number, string]> = [
    [sigNum, 0, sig],
    // Invisible (zero rectangle): the printed page already carries the signature lines; F 132 = print + locked.
    [widgetNum, 0, `<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature1) /V ${sigNum} 0 R /P ${pageNum} ${page.gen} R /Rect [0 0 0 0] /F 132 >>`],
    [formNum, 0, `<< /Fields [${widgetNum} 0 R] /SigFlags 3 >>`],
    [refNumber(xref.root), catalog.gen, withEntries(catalog.dict, `\n/AcroForm ${formNum} 0 R`)],
    [pageNum, page.gen, pageDict],
  ];

  let body = pdf[pdf.length - 1] === 0x0a ? '' : '\n';
  const entries: Array<[number, number, number]> = [];
  for (const [num, gen, dict] of objects) {
    entries.push([num, gen, pdf.length + Buffer.byteLength(body, 'latin1')]);
    body += `${num} ${gen} obj\n${dict}\nendobj\n`;
  }
  const xrefAt = pdf.length + Buffer.byteLength(body, 'latin1');
  body += 'xref\n';
  for (const [num, gen, offset] of entries.sort((a, b) => a[0] - b[0])) body += `${num} 1\n${String(offset).padStart(10, '0')} ${String(gen).padStart(5, '0')} n \n`;
  const trailer = [`/Size ${xref.size + 3}`, `/Root ${xref.root}`, xref.info ? `/Info ${xref.info}` : '', xref.id ? `/ID ${xref.id}` : '', `/Prev ${xref.startxref}`].filter(Boolean).join(' ');
  body += `trailer\n<< ${trailer} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  const out = Buffer.concat([pdf, Buffer.from(body, 'latin1')]);

  // The byte ranges: everything but the hex string of /Contents, brackets included.
  const rangeAt = out.indexOf(BYTE_RANGE_PLACEHOLDER, pdf.length);
  const contentsStart = out.indexOf('<', out.indexOf('/Contents', rangeAt));
  const contentsEnd = contentsStart + contentsBytes * 2 + 2;
  const range = `/ByteRange [0 ${contentsStart} ${contentsEnd} ${out.length - contentsEnd}]`;
  out.write(range.padEnd(BYTE_RANGE_PLACEHOLDER.length, ' '), rangeAt, 'latin1');
  const digest = createHash('sha256').update(out.subarray(0, contentsStart)).update(out.subarray(contentsEnd)).digest();
  return { pdf: out, contentsStart, contentsEnd, digest };
}

/** Writes a CMS signature (DER) into the prepared /Contents; the rest of the file is unchanged. */
export function embedPdfSignature(prepared: PreparedPdfSignature, cms: Buffer): Buffer {
  const room = (prepared.contentsEnd - prepared.contentsStart - 2) / 2;
  if (cms.length > room) throw new Error(`PDF signature: the CMS (${cms.length} bytes) is larger than the room prepared (${room})`);
  const out = Buffer.from(prepared.pdf);
  out.write(cms.toString('hex').toUpperCase(), prepared.contentsStart + 1, 'latin1');
  return out;
}

// ---------------------------------------------------------------------------------------------
// CAdES: the CMS SignedData
// ---------------------------------------------------------------------------------------------

/**
 * A detached CAdES-B-B SignedData over `digest` (SHA-256 of the signed byte ranges): signed
 * attributes content-type, message-digest and signing-certificate-v2, RSA PKCS#1 v1.5 signature,
 * the certificate and its chain included.
 */
export function cadesSignature(digest: Buffer, signer: PdfSigner): Buffer {
  const { issuer, serial } = certificateParts(signer.certificate);
  const sha256 = SEQ(OID(OIDS.sha256)); // parameters absent (RFC 5754 3)
  const attribute = (type: string, value: Buffer) => SEQ(OID(type), SET(value));
  const essCertIdV2 = SEQ(
    // hashAlgorithm is DEFAULT sha256, so DER leaves it out
    der(0x04, createHash('sha256').update(signer.certificate).digest()),
    SEQ(SEQ(der(0xa4, issuer)), serial), // issuerSerial: GeneralNames { directoryName [4] issuer }, serial
  );
  const attributes = [
    attribute(OIDS.contentType, OID(OIDS.data)),
    attribute(OIDS.messageDigest, der(0x04, digest)),
    attribute(OIDS.signingCertificateV2, SEQ(SEQ(essCertIdV2))),
  ];
  // The signature is over the attributes as a DER SET OF; in the SignerInfo they carry tag [0].
  const signedSet = derSetOf(0x31, attributes);
  const signature = cryptoSign('sha256', signedSet, signer.key);
  const signerInfo = SEQ(
    der(0x02, Buffer.from([1])),
    SEQ(issuer, serial),
    sha256,
    Buffer.concat([Buffer.from([0xa0]), signedSet.subarray(1)]),
    SEQ(OID(OIDS.rsaEncryption), Buffer.from([0x05, 0x00])),
    der(0x04, signature),
  );
  const signedData = SEQ(der(0x02, Buffer.from([1])), SET(sha256), SEQ(OID(OIDS.data)), der(0xa0, signer.certificate, ...signer.chain), SET(signerInfo));
  return SEQ(OID(OIDS.signedData), der(0xa0, signedData));
}

/**
 * Signs a finished PDF with the certificate in a PKCS#12 file (PAdES-B-B, see above). The file
 * must not be changed afterwards: any change, even appended, shows in `verifyPdfSignature`.
 */
export function signPdf(pdf: Buffer, p12: Buffer, passphrase: string, info: PdfSignInfo): Buffer {
  const signingTime = info.signingTime ?? new Date();
  return signPdfWith(pdf, openSigner(p12, passphrase, signingTime), { ...info, signingTime });
}

/**
 * The school's key and certificate from its PKCS#12, checked once for a batch of documents: an RSA
 * key, a certificate valid at `at`. Refusals name what to fix.
 */
export function openSigner(p12: Buffer, passphrase: string, at = new Date()): PdfSigner {
  const signer = loadPkcs12(p12, passphrase);
  if (signer.key.asymmetricKeyType !== 'rsa') throw badRequest('p12_key_type', 'Chỉ hỗ trợ chứng thư số dùng khoá RSA.');
  const cert = new X509Certificate(signer.certificate);
  if (at < new Date(cert.validFrom) || at > new Date(cert.validTo)) {
    const day = (d: string) => formatVnDateTime(new Date(d));
    throw badRequest('certificate_not_valid', `Chứng thư số: chỉ có hiệu lực từ ${day(cert.validFrom)} đến ${day(cert.validTo)}; hãy dùng chứng thư còn hiệu lực.`);
  }
  return signer;
}

/** Signs a finished PDF with a signer `openSigner` checked. */
export function signPdfWith(pdf: Buffer, signer: PdfSigner, info: PdfSignInfo): Buffer {
  // Room for the CMS: the certificates, the RSA signature and the attributes, with slack.
  const room = [signer.certificate, ...signer.chain].reduce((n, c) => n + c.length, 0) + 4096;
  const prepared = preparePdfSignature(pdf, { ...info, signingTime: info.signingTime ?? new Date() }, room);
  return embedPdfSignature(prepared, cadesSignature(prepared.digest, signer));
}

// ---------------------------------------------------------------------------------------------
// Verification
// ---------------------------------------------------------------------------------------------

/** A PDF string at `pos` (literal with escapes, or hex), decoded as a text string. */
function readPdfText(s: string, pos: number): string | undefined {
  let bytes: number[] = [];
  if (s[pos] === '<') {
    const hex = s.slice(pos + 1, s.indexOf('>', pos)).replace(/\s+/g, '');
    bytes = [...Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex')];
  } else if (s[pos] === '(') {
    for (let i = pos + 1, depth = 1; i < s.length; i++) {
      const c = s[i];
      if (c === '\\') {
        const n = s[++i];
        const octal = /^[0-7]{1,3}/.exec(s.slice(i, i + 3));
        if (octal) {
          bytes.push(parseInt(octal[0], 8) & 0xff);
          i += octal[0].length - 1;
        } else if (n !== '\n' && n !== '\r') bytes.push(({ n: 10, r: 13, t: 9, b: 8, f: 12 } as Record<string, number>)[n] ?? n.charCodeAt(0));
        continue;
      }
      if (c === '(') depth++;
      if (c === ')' && --depth === 0) break;
      bytes.push(c.charCodeAt(0));
    }
  } else return undefined;
  const b = Buffer.from(bytes);
  return b[0] === 0xfe && b[1] === 0xff ? b.subarray(2).swap16().toString('utf16le') : b.toString('latin1');
}

/** "D:20250530083000Z", "D:20250530153000+07'00'" → Date. */
function parsePdfDate(s: string): Date | undefined {
  const m = /D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(Z|[+-]\d{2}'?\d{2}'?)?/.exec(s);
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', se = '00', tz = 'Z'] = m;
  const zone = tz === 'Z' ? 'Z' : `${tz.slice(0, 3)}:${tz.replace(/'/g, '').slice(3, 5)}`;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${se}${zone}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function asn1Time(buf: Buffer, t: Tlv): Date | undefined {
  const s = bodyOf(buf, t).toString('latin1');
  const m = t.tag === 0x17 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(s) : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(s);
  if (!m) return undefined;
  const year = t.tag === 0x17 ? (Number(m[1]) >= 50 ? 1900 : 2000) + Number(m[1]) : Number(m[1]);
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)));
}

/**
 * Checks the last signature of a PDF: the /ByteRange leaves out exactly its /Contents, the digest
 * of the signed ranges equals the CMS message-digest, and the CMS signature verifies with the key
 * of the certificate it names. Any byte changed in the signed ranges, or in the CMS, fails.
 */
export function verifyPdfSignature(pdf: Buffer): PdfSignatureCheck {
  const fail = (problem: string, extra: Partial<PdfSignatureCheck> = {}): PdfSignatureCheck => ({ valid: false, coversWholeFile: false, ...extra, problem });
  const text = pdf.toString('latin1');
  const rangeAt = text.lastIndexOf('/ByteRange');
  if (rangeAt < 0) return fail('no signature (/ByteRange) in the file');
  const range = /^\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(text.slice(rangeAt, rangeAt + 80));
  if (!range) return fail('malformed /ByteRange');
  const [a, b, c, d] = range.slice(1).map(Number);
  if (a !== 0 || b <= 0 || c <= b || c + d > pdf.length) return fail('the /ByteRange does not fit the file');
  const coversWholeFile = c + d === pdf.length;

  // The gap must be exactly this signature dictionary's /Contents hex string: nothing else unsigned.
  const dictStart = text.lastIndexOf(' obj', rangeAt);
  const dictEnd = text.indexOf('endobj', rangeAt);
  const contentsKey = /\/Contents\s*</g;
  contentsKey.lastIndex = dictStart;
  const key = contentsKey.exec(text);
  if (!key || key.index > dictEnd || key.index + key[0].length - 1 !== b || text[c - 1] !== '>' || !/^[0-9a-fA-F]*$/.test(text.slice(b + 1, c - 1))) {
    return fail('the /ByteRange does not leave out exactly the signature /Contents', { coversWholeFile });
  }
  const dict = text.slice(dictStart, dictEnd);
  const reasonAt = /\/Reason\s*/.exec(dict);
  const reason = reasonAt ? readPdfText(dict, reasonAt.index + reasonAt[0].length) : undefined;
  const m = /\/M\s*\(([^)]*)\)/.exec(dict);
  const claimedTime = m ? parsePdfDate(m[1]) : undefined;
  const base = { coversWholeFile, reason };

  try {
    const hex = text.slice(b + 1, c - 1);
    const contents = Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex');
    const top = readTlv(contents, 0);
    // The room left after the CMS must be the zeros the signer wrote: nothing hides there.
    if (contents.subarray(top.end).some((x) => x !== 0)) return fail('data after the CMS inside /Contents', base);
    const cms = contents.subarray(0, top.end);
    const [contentType, wrapped] = childrenOf(cms, top);
    if (oidToString(bodyOf(cms, contentType)) !== OIDS.signedData) return fail('the CMS is not SignedData', base);
    const signedData = childrenOf(cms, childrenOf(cms, wrapped)[0]);
    const encap = childrenOf(cms, signedData[2]);
    if (encap.length > 1) return fail('the CMS carries its content (not detached)', base);
    const certificates = signedData.filter((t) => t.tag === 0xa0).flatMap((t) => childrenOf(cms, t).map((x) => Buffer.from(bytesOf(cms, x))));
    const signerInfos = childrenOf(cms, signedData[signedData.length - 1]);
    if (signerInfos.length !== 1) return fail(`expected one SignerInfo, found ${signerInfos.length}`, base);
    const si = childrenOf(cms, signerInfos[0]);
    const [, sid, digestAlgorithm] = si;
    const signedAttrs = si.find((t) => t.tag === 0xa0);
    const signatureAlgorithm = si[signedAttrs ? 4 : 3];
    const signatureValue = si[signedAttrs ? 5 : 4];

    const digestName = DIGESTS[oidToString(bodyOf(cms, childrenOf(cms, digestAlgorithm)[0]))];
    if (!digestName) return fail('unsupported digest algorithm', base);
    const sigAlg = oidToString(bodyOf(cms, childrenOf(cms, signatureAlgorithm)[0]));
    if (!SIGNATURE_ALGORITHMS.has(sigAlg)) return fail(`unsupported signature algorithm ${sigAlg}`, base);
    const digest = createHash(digestName).update(pdf.subarray(0, b)).update(pdf.subarray(c, c + d)).digest();

    // The certificate the SignerInfo names (issuer and serial); a subjectKeyIdentifier sid: try each.
    const candidates =
      sid.tag === 0x30
        ? certificates.filter((cert) => {
            const p = certificateParts(cert);
            const [issuer, serial] = childrenOf(cms, sid);
            return p.issuer.equals(bytesOf(cms, issuer)) && p.serial.equals(bytesOf(cms, serial));
          })
        : certificates;
    if (candidates.length === 0) return fail('the signer certificate is not in the CMS', base);

    let signedAt = claimedTime;
    let message: Buffer;
    let essHash: { algorithm: string; hash: Buffer } | undefined;
    if (signedAttrs) {
      const attrs = new Map(childrenOf(cms, signedAttrs).map((attr) => {
        const [type, values] = childrenOf(cms, attr);
        return [oidToString(bodyOf(cms, type)), childrenOf(cms, values)[0]] as const;
      }));
      const md = attrs.get(OIDS.messageDigest);
      if (!md || !bodyOf(cms, md).equals(digest)) return fail('the document was changed after signing (message digest differs)', base);
      const ct = attrs.get(OIDS.contentType);
      if (!ct || oidToString(bodyOf(cms, ct)) !== OIDS.data) return fail('content-type attribute missing or not id-data', base);
      const st = attrs.get(OIDS.signingTime);
      if (st) signedAt = asn1Time(cms, st) ?? signedAt;
      // ESS signing-certificate(-v2): the hash of the signer's certificate, signed with the rest.
      const ess = attrs.get(OIDS.signingCertificateV2) ?? attrs.get(OIDS.signingCertificate);
      if (ess) {
        const certId = childrenOf(cms, childrenOf(cms, childrenOf(cms, ess)[0])[0]);
        const v2 = attrs.has(OIDS.signingCertificateV2);
        const withAlgorithm = v2 && certId[0].tag === 0x30;
        const algorithm = withAlgorithm ? DIGESTS[oidToString(bodyOf(cms, childrenOf(cms, certId[0])[0]))] : v2 ? 'sha256' : 'sha1';
        if (!algorithm) return fail('unsupported hash algorithm in signing-certificate-v2', base);
        essHash = { algorithm, hash: Buffer.from(bodyOf(cms, certId[withAlgorithm ? 1 : 0])) };
      }
      // Signed as a DER SET OF: the same bytes with the [0] tag replaced by SET.
      message = Buffer.concat([Buffer.from([0x31]), cms.subarray(signedAttrs.start + 1, signedAttrs.end)]);
    } else {
      message = Buffer.concat([pdf.subarray(0, b), pdf.subarray(c, c + d)]);
    }
    const signature = bodyOf(cms, signatureValue);
    const signerCert = candidates.find((cert) => cryptoVerify(digestName, message, new X509Certificate(cert).publicKey, signature));
    if (!signerCert) return fail('the signature does not verify with the signer certificate', base);
    if (essHash && !createHash(essHash.algorithm).update(signerCert).digest().equals(essHash.hash)) {
      return fail('the signer certificate is not the one the signature names (signing-certificate hash differs)', base);
    }
    const subject = certificateParts(signerCert).subject;
    return { valid: true, signer: commonName(signerCert, subject) ?? new X509Certificate(signerCert).subject, signedAt, ...base };
  } catch (err) {
    return fail(`unreadable signature: ${(err as Error).message}`, base);
  }
}
