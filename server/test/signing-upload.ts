/** The multipart body of a signing request: the passphrase field and the school's .p12 certificate. */
export function multipartWith(p12: Buffer, passphrase: string) {
  const boundary = '----truongso-test-boundary';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="passphrase"\r\n\r\n${passphrase}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="certificate"; filename="truong.p12"\r\nContent-Type: application/x-pkcs12\r\n\r\n`),
    p12,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { contentType: `multipart/form-data; boundary=${boundary}`, payload };
}
