/**
 * Form rules that apply the domain's own checks in the browser, so a form says in place what the
 * API would refuse, in the same words: a person's name, a date of birth (for a class or without
 * one). And the way back: a refusal from the API shown under the fields it names.
 */
import type { Rule } from 'antd/es/form';
import { checkDateOfBirth, cleanNameText, parseVnDate, personNameProblem } from '../../../domain/index';
import { ApiError } from '../api/client';
import { vi } from '../i18n/vi';
import { todayIso } from './format';

/** A person's name: the domain's one message (missing, forbidden characters, digits, too short), the same the API gives. */
export const personNameRule: Rule = {
  validator: async (_, v?: string) => {
    const problem = personNameProblem(cleanNameText(v ?? ''));
    if (problem) throw new Error(problem);
  },
};

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
      const verdict = checkDateOfBirth(parsed.value, { today: todayIso(), grade: cls?.grade, schoolYear: cls?.year });
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
