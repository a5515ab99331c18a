/**
 * Form rules that apply the API's own checks in the browser, so a form says in place what the API
 * would refuse, in the same words: a field of a request contract (contracts/), a date of birth
 * for a class (the domain's rule, which needs the class). And the way back: a refusal from the
 * API shown under the fields it names.
 */
import type { Rule } from 'antd/es/form';
import type { z } from 'zod';
import { checkDateOfBirth, isoToday, parseVnDate } from '../../../domain/index';
import { ApiError } from '../api/client';
import { vi } from '../i18n/vi';


/**
 * One field of a request contract as a form rule: `contractRule(ZCreateStudent.shape.learnerId)`.
 * It runs the field's schema on what was typed and shows the first problem in the words the API
 * puts under the field (the schema's own message, or contracts/zod-vi.ts). A blank field is left
 * to the item's `required` rule, whose message names the field; with `{ required: true }` it is
 * checked as empty text instead, for fields whose contract has its own word for a missing value
 * (a person's name: "Chưa nhập họ tên — …").
 */
export function contractRule(field: z.ZodType, opts: { required?: boolean } = {}): Rule {
  return {
    validator: async (_, value: unknown) => {
      const blank = value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
      if (blank && !opts.required) return;
      const result = field.safeParse(blank ? '' : value);
      if (!result.success) throw new Error(result.error.issues[0]?.message);
    },
  };
}

/**
 * The date of birth as the API and the import check it (domain/students/date-of-birth.ts): a date
 * that exists (typed text that is not one arrives here as text, see VnDatePicker keepTypedText),
 * not in the future, and an age the class's grade allows.
 */
export function dateOfBirthRule(placedIn: () => { grade: number; year: number } | undefined, opts: { required: boolean }): Rule {
  return {
    validator: async (_, v?: string | null) => {
      if (!v) {
        if (opts.required) throw new Error(vi.students.dateOfBirthRequired);
        return;
      }
      const parsed = parseVnDate(v);
      if (!parsed.ok) throw new Error(`${parsed.reason}.`);
      const cls = placedIn();
      const verdict = checkDateOfBirth(parsed.value, { today: isoToday(), grade: cls?.grade, schoolYear: cls?.year });
      if (!verdict.ok) throw new Error(verdict.message);
    },
  };
}

/** A refusal from the server shown under the fields it is about (path "guardians.0.phone" → ['guardians', 0, 'phone']). */
export function fieldErrorsOf(e: unknown): { name: (string | number)[]; errors: string[] }[] {
  if (!(e instanceof ApiError)) return [];
  const body = e.body as { errors?: { path?: string; message?: string }[]; field?: string } | undefined;
  if (body?.field) return [{ name: [body.field], errors: [e.detail.replace(/^[^:]+: /, '')] }];
  return (body?.errors ?? [])
    .filter((x): x is { path: string; message: string } => !!x.path && !!x.message)
    .map((x) => ({ name: x.path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)), errors: [x.message] }));
}
