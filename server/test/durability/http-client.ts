/** A signed-in HTTP client for a server child process: session cookie + CSRF header, JSON and multipart. */
import { multipart } from '../../src/modules/imports/imports.test-helpers.js';

export type Reply = { status: number; body: unknown };

/** Thrown when no HTTP answer came back (connection refused or reset: the server was killed). */
export class NoAnswer extends Error {}

export class ApiClient {
  private constructor(
    private readonly base: string,
    private readonly cookie: string,
    private readonly csrf: string,
    readonly me: { userId: string; grants: { role: string; orgUnitId: string }[] },
  ) {}

  static async login(base: string, username: string, password: string): Promise<ApiClient> {
    const res = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    const body = (await res.json()) as { csrfToken: string; userId: string; grants: { role: string; orgUnitId: string }[] };
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(body)}`);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
    return new ApiClient(base, cookie, body.csrfToken, body);
  }

  /** The same session against another server process (sessions live in the database). */
  at(base: string): ApiClient {
    return new ApiClient(base, this.cookie, this.csrf, this.me);
  }

  /** The one school this account is principal of. */
  get school(): string {
    const g = this.me.grants.find((x) => x.role === 'principal');
    if (!g) throw new Error('account has no principal grant');
    return g.orgUnitId;
  }

  async request(method: string, path: string, body?: unknown): Promise<Reply> {
    const headers: Record<string, string> = { cookie: this.cookie, 'x-csrf-token': this.csrf };
    let payload: string | undefined;
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    return this.send(method, path, headers, payload);
  }

  upload(path: string, fileName: string, file: Buffer): Promise<Reply> {
    const { payload, contentType } = multipart(fileName, file);
    return this.send('POST', path, { cookie: this.cookie, 'x-csrf-token': this.csrf, 'content-type': contentType }, new Uint8Array(payload));
  }

  private async send(method: string, path: string, headers: Record<string, string>, payload?: string | Uint8Array<ArrayBuffer>): Promise<Reply> {
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${this.base}${path}`, { method, headers, body: payload, signal: AbortSignal.timeout(30_000) });
      text = await res.text();
    } catch (err) {
      throw new NoAnswer(`${method} ${path}: ${(err as Error).message}`);
    }
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text for the failure message
    }
    return { status: res.status, body: parsed };
  }
}
