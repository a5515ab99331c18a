import { type ZodType, z } from 'zod';

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  format?: string;
  pattern?: string;
  minimum?: number;
  default?: unknown;
};

/** JSON Schema of a route's zod input schema, as a client would have to write it. */
export function inputJsonSchema(schema: unknown): JsonSchema | null {
  if (!schema || typeof schema !== 'object' || !('_zod' in schema)) return null;
  return z.toJSONSchema(schema as ZodType, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

/**
 * A plausible value for a schema: ids from `known` when a field name matches (classId → a real
 * class), today-ish dates, the first enum member, one-item arrays. Used to build requests that
 * pass validation everywhere except in the one field a test is attacking.
 */
export function sampleFor(s: JsonSchema, name: string, known: Record<string, string>): unknown {
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return s.enum[0];
  const alt = s.anyOf ?? s.oneOf;
  if (alt?.length) return sampleFor(alt.find((a) => a.type !== 'null') ?? alt[0]!, name, known);
  if (s.allOf?.length) return sampleFor(s.allOf[0]!, name, known);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(s.properties ?? {})) out[k] = sampleFor(v, k, known);
      return out;
    }
    case 'array':
      return s.items ? [sampleFor(s.items, name, known)] : [];
    case 'integer':
    case 'number':
      return typeof s.default === 'number' ? s.default : (s.minimum ?? 1);
    case 'boolean':
      return false;
    case 'string': {
      if (known[name]) return known[name];
      if (s.format === 'uuid') return '00000000-0000-7000-8000-00000000ffff';
      if (s.pattern?.includes('\\d{4}-\\d{2}-\\d{2}')) return '2025-10-01';
      if (s.format === 'email') return 'a@example.com';
      if (typeof s.default === 'string') return s.default;
      return 'Nguyễn Văn Bình';
    }
    default:
      return 'x';
  }
}

/** Paths (as key arrays) of every string-typed leaf in a sample value. */
export function stringLeaves(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...path, k]));
  return [];
}

/** A copy of `value` with the leaf at `path` replaced. */
export function withLeaf(value: unknown, path: (string | number)[], leaf: unknown): unknown {
  if (path.length === 0) return leaf;
  const [head, ...rest] = path;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[head!] = withLeaf(copy[head!], rest, leaf);
  return copy;
}
