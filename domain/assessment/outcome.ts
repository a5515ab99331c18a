/**
 * What a rule returns: a value, or "chưa đủ điều kiện xếp loại" with the reasons a teacher can act
 * on ("Toán: thiếu điểm cuối kì"). A missing mark never becomes a number: the issue says a wrong
 * result is worse than none.
 */
export type Incomplete = { status: 'incomplete'; reasons: string[] };
export type Outcome<T> = { status: 'ok'; value: T } | Incomplete;

export const ok = <T>(value: T): Outcome<T> => ({ status: 'ok', value });
export const incomplete = (reasons: string[]): Incomplete => ({ status: 'incomplete', reasons });

/** The reasons of every incomplete outcome, each prefixed (e.g. with the subject's name). */
export function reasonsOf(items: ReadonlyArray<{ label: string; outcome: Outcome<unknown> }>): string[] {
  return items.flatMap(({ label, outcome }) => (outcome.status === 'incomplete' ? outcome.reasons.map((r) => `${label}: ${r}`) : []));
}

export const INCOMPLETE_LABEL = 'Chưa đủ điều kiện xếp loại';
