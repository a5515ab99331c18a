import { BlockList, isIP } from 'node:net';

/**
 * Which peers may tell us the client's address in X-Forwarded-For (the TRUST_PROXY setting).
 *
 * Every per-address defence (login rate limit, the per-address password-check queue, the
 * per-(account, address) lock) keys on `req.ip`. Trusting the header from anyone
 * (`trustProxy: true`) lets a client choose its own address on every request: 130 wrong passwords,
 * each with a different forged header, drew no 429 (issue 7). A bare hop count is no answer either:
 * it cannot tell a proxy from a direct client that sends "enough" hops, so Fastify 5.12 believes
 * nobody when given one. We give Fastify a trust function that checks the peer's address:
 *
 * - a list of proxy addresses or CIDR ranges (`127.0.0.1`, `10.0.0.0/8`, `::1`), or the names
 *   `loopback`, `linklocal`, `uniquelocal` (private ranges): only those peers are believed;
 * - a number N (the common one-nginx setup is `1`): up to N proxies, each of which must be on a
 *   loopback or private address. A client reaching the server from a public address is never
 *   believed, whatever it sends.
 *
 * "Trust everything" (`true`, `*`, `all`, `0.0.0.0/0`, `::/0`) is refused at start.
 */
export type ProxyTrust = (address: string, hop: number) => boolean;

const NAMED: Record<string, [string, number, 'ipv4' | 'ipv6'][]> = {
  loopback: [
    ['127.0.0.0', 8, 'ipv4'],
    ['::1', 128, 'ipv6'],
  ],
  linklocal: [
    ['169.254.0.0', 16, 'ipv4'],
    ['fe80::', 10, 'ipv6'],
  ],
  uniquelocal: [
    ['10.0.0.0', 8, 'ipv4'],
    ['172.16.0.0', 12, 'ipv4'],
    ['192.168.0.0', 16, 'ipv4'],
    ['fc00::', 7, 'ipv6'],
  ],
};

const settingError = (value: string, why: string) =>
  new Error(
    `TRUST_PROXY="${value}" không dùng được: ${why}. Ghi địa chỉ (hoặc dải CIDR) của proxy, ví dụ TRUST_PROXY=127.0.0.1 khi nginx chạy cùng máy, ` +
      'hoặc số proxy đứng trước máy chủ (TRUST_PROXY=1) khi chúng ở địa chỉ nội bộ.',
  );

/** IPv4-mapped IPv6 (::ffff:10.0.0.2), as Node reports IPv4 peers on a dual-stack socket. */
const unmap = (address: string) => (address.toLowerCase().startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address);

function checker(list: BlockList): (address: string) => boolean {
  return (address) => {
    const a = unmap(address);
    const family = isIP(a);
    return family === 4 ? list.check(a, 'ipv4') : family === 6 ? list.check(a, 'ipv6') : false;
  };
}

function addEntry(list: BlockList, entry: string, raw: string): void {
  const named = NAMED[entry.toLowerCase()];
  if (named) {
    for (const [net, prefix, type] of named) list.addSubnet(net, prefix, type);
    return;
  }
  const [addr = '', prefixText, ...rest] = entry.split('/');
  const family = isIP(addr);
  if (!family || rest.length) throw settingError(raw, `"${entry}" không phải địa chỉ IP hay dải CIDR`);
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (prefixText === undefined) {
    list.addAddress(addr, type);
    return;
  }
  const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : Number.NaN;
  if (!(prefix >= 0 && prefix <= (family === 4 ? 32 : 128))) throw settingError(raw, `độ dài tiền tố "/${prefixText}" không hợp lệ`);
  if (prefix === 0) throw settingError(raw, `"${entry}" là mọi địa chỉ: ai cũng tự khai được địa chỉ của mình`);
  list.addSubnet(addr, prefix, type);
}

/** The trust function for Fastify's `trustProxy`, or false (trust no one: use the socket address). */
export function parseTrustProxy(raw: string | undefined): ProxyTrust | false {
  const value = (raw ?? '').trim();
  if (value === '' || value === '0') return false;
  if (/^(true|\*|all|yes)$/i.test(value)) throw settingError(value, 'tin mọi proxy nghĩa là ai cũng tự khai được địa chỉ của mình');
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 10) throw settingError(value, 'quá nhiều proxy');
    const privateOrLoopback = new BlockList();
    for (const name of ['loopback', 'linklocal', 'uniquelocal']) addEntry(privateOrLoopback, name, value);
    const isPrivate = checker(privateOrLoopback);
    return (address, hop) => hop < hops && isPrivate(address);
  }
  const list = new BlockList();
  for (const entry of value.split(',').map((e) => e.trim())) {
    if (!entry) throw settingError(value, 'có mục rỗng');
    addEntry(list, entry, value);
  }
  const listed = checker(list);
  return (address) => listed(address);
}
