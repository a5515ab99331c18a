import type { FastifyInstance } from 'fastify';
import type { components, paths } from './generated/api-types.js';

/**
 * A client typed by the OpenAPI document alone (generated/api-types.ts), the way a program built
 * on the API would call it: path, parameters, body and answer all come from the document, not
 * from the server's own code.
 */
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Operation<P extends keyof paths, M extends Method> = Extract<paths[P][M], { responses: unknown }>;
/** The paths that have an operation for this method. */
type PathsWith<M extends Method> = { [P in keyof paths]: paths[P][M] extends { responses: unknown } ? P : never }[keyof paths];

// Not distributive ([O] extends …): over the union of every path's operation the three would multiply out (TS2590).
type PathInput<O> = [O] extends [{ parameters: { path: infer X } }] ? { path: X } : { path?: never };
type QueryInput<O> = [O] extends [{ parameters: { query?: infer Q } }] ? { query?: Q } : { query?: never };
type BodyInput<O> = [O] extends [{ requestBody: { content: { 'application/json': infer B } } }] ? { body: B } : { body?: never };
type Input<O> = PathInput<O> & QueryInput<O> & BodyInput<O>;

type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : unknown;
type Success<O> = O extends { responses: infer R } ? { [S in keyof R]: S extends 200 | 201 | 202 ? JsonOf<R[S]> : never }[keyof R] : never;

export type Problem = components['schemas']['ProblemDetails'];
export type Answer<O> =
  | { ok: true; status: number; headers: Record<string, unknown>; body: Success<O> }
  | { ok: false; status: number; headers: Record<string, unknown>; contentType: string; problem: Problem };

export type Session = { cookie: string; csrf: string };

type RawInput = { path?: Record<string, string>; query?: Record<string, string | number | boolean | undefined>; body?: unknown };
type TypedCall = <M extends Method, P extends PathsWith<M>>(method: M, path: P, input: Input<Operation<P, M>>) => Promise<Answer<Operation<P, M>>>;

export function apiClient(app: FastifyInstance, session?: Session): TypedCall {
  // The body works on plain strings: TypeScript gives up on the union of every path's input when
  // the generic parameter itself is taken apart (TS2590), so the typing is the signature's alone.
  const call = async (method: Method, path: string, input: RawInput): Promise<unknown> => {
    const { path: params, query, body } = input;
    let url = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params?.[name] ?? ''));
    const search = new URLSearchParams(
      Object.entries(query ?? {}).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])),
    ).toString();
    if (search) url += `?${search}`;
    const headers: Record<string, string> = {};
    if (session) headers.cookie = session.cookie;
    if (session && method !== 'get') headers['x-csrf-token'] = session.csrf;
    const res = await app.inject({ method: method.toUpperCase() as Uppercase<Method>, url, headers, ...(body === undefined ? {} : { payload: body as object }) });
    const ok = res.statusCode >= 200 && res.statusCode < 300;
    if (ok) return { ok, status: res.statusCode, headers: res.headers, body: res.json() };
    return { ok, status: res.statusCode, headers: res.headers, contentType: String(res.headers['content-type']), problem: res.json() };
  };
  return call as unknown as TypedCall;
}
