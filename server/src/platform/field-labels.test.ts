import { describe, expect, it } from 'vitest';
import type { ZodType } from 'zod';
import { FIELD_LABELS, fieldLabel } from '../../../contracts/field-labels.js';
import { setupTestApp } from '../../test/harness.js';
import { type JsonSchema, inputJsonSchema, sampleFor } from '../../test/sample-input.js';

// Issue 8: every error names the field by its Vietnamese label and is written in Vietnamese.
// Both checks walk the input schemas of every declared route (body and query string), so a new
// contract field without a label, or a check whose message is zod's English default, fails here.

const ctx = await setupTestApp();

/** Every field path of a schema ("guardians.phone"), nested objects and array items included. */
function fieldPaths(s: JsonSchema | null | undefined, prefix = ''): string[] {
  if (!s) return [];
  const out: string[] = [];
  for (const alt of [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])]) out.push(...fieldPaths(alt, prefix));
  if (s.items) out.push(...fieldPaths(s.items, prefix));
  for (const [k, v] of Object.entries(s.properties ?? {})) {
    const p = prefix ? `${prefix}.${k}` : k;
    out.push(p, ...fieldPaths(v, p));
  }
  return out;
}

const inputs = () =>
  ctx.app.declaredRoutes.flatMap((r) =>
    (['body', 'querystring'] as const)
      .map((part) => ({ route: `${r.method} ${r.url} (${part})`, schema: r[part] }))
      .filter((x): x is { route: string; schema: ZodType } => !!x.schema && typeof x.schema === 'object' && '_zod' in x.schema),
  );

describe('field labels', () => {
  it('every field of every request schema has a Vietnamese label', () => {
    const missing: string[] = [];
    let fields = 0;
    for (const { route, schema } of inputs()) {
      for (const path of fieldPaths(inputJsonSchema(schema))) {
        fields++;
        if (!fieldLabel(path.split('.'))) missing.push(`${route}: ${path}`);
      }
    }
    expect(fields).toBeGreaterThan(100);
    expect(missing).toEqual([]);
  });

  it('labels are Vietnamese words, never a field name', () => {
    for (const [key, label] of Object.entries(FIELD_LABELS)) {
      expect(label, key).not.toMatch(/[a-z][A-Z]|_|\./);
      expect(label, key).not.toBe(key);
    }
  });

  it('a nested field takes its own label, with the item number', () => {
    expect(fieldLabel(['guardians', 0, 'phone'])).toBe('Điện thoại người giám hộ thứ 1');
    expect(fieldLabel(['dateOfBirth'])).toBe('Ngày sinh');
    expect(fieldLabel([])).toBe('Dữ liệu gửi lên');
    expect(fieldLabel(['noSuchField'])).toBeUndefined();
  });
});

// zod's built-in English: "Too big: expected string to have <=120 characters", "Invalid input:
// expected number, received string", "Required"…
const ENGLISH = /\b(expected|received|invalid|too (big|small)|required|must|characters?|string|number|input|option|value)\b/i;
const BAD_VALUES: unknown[] = [undefined, null, 12.5, -1e15, 1e15, 'x', 'x'.repeat(5000), '', true, {}, [], ['x'], '2015-02-31', '31/02/2015', 'Z'];

function setAt(obj: unknown, path: string[], value: unknown): unknown {
  const copy = structuredClone(obj) as Record<string, unknown>;
  let cur: Record<string, unknown> = copy;
  for (const [i, key] of path.entries()) {
    if (i === path.length - 1) cur[key] = value;
    else {
      let next = cur[key];
      if (Array.isArray(next)) next = next[0];
      if (!next || typeof next !== 'object') return copy;
      cur = next as Record<string, unknown>;
    }
  }
  return copy;
}

describe('messages', () => {
  it('every check of every request field answers in Vietnamese (no zod English default reaches a user)', () => {
    const english: string[] = [];
    let tried = 0;
    for (const { route, schema } of inputs()) {
      const json = inputJsonSchema(schema);
      if (!json) continue;
      const valid = sampleFor(json, '', {});
      for (const value of [1, 'x', [], null]) for (const i of schema.safeParse(value).error?.issues ?? []) if (ENGLISH.test(i.message)) english.push(`${route} (whole): ${i.message}`);
      for (const path of fieldPaths(json)) {
        for (const bad of BAD_VALUES) {
          const res = schema.safeParse(setAt(valid, path.split('.'), bad));
          for (const issue of res.error?.issues ?? []) {
            tried++;
            if (ENGLISH.test(issue.message) || !/[À-ỹ]/.test(issue.message)) english.push(`${route} ${path}=${JSON.stringify(bad)?.slice(0, 20)}: ${issue.message}`);
          }
        }
      }
    }
    expect(tried).toBeGreaterThan(500);
    expect([...new Set(english)]).toEqual([]);
  });
});
