/** Minimal client for the Trường Số API used by benchmarks: login, JSON calls, uploads. */
export class ApiClient {
  cookie = '';
  csrf = '';
  constructor(readonly base: string) {}

  async login(username: string, password: string): Promise<void> {
    const res = await fetch(`${this.base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
    this.cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
    this.csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { cookie: this.cookie, 'x-csrf-token': this.csrf, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async upload<T>(path: string, fileName: string, content: Buffer): Promise<T> {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(content)]), fileName);
    const res = await fetch(`${this.base}${path}`, { method: 'POST', headers: { cookie: this.cookie, 'x-csrf-token': this.csrf }, body: form });
    const text = await res.text();
    if (!res.ok) throw new Error(`upload ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as T;
  }
}
