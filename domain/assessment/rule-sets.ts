/**
 * Which assessment circular applies to a grade in a school year. The new circulars came in one
 * grade per year (domain-vn §0), so in the transition years one school mixes rule sets by grade,
 * and a record imported from an older year keeps the rules it was made under.
 *
 * - Primary: TT27/2020 from grade 1 in 2020-2021, one grade a year to grade 5 in 2024-2025;
 *   before that TT22/2016 (amending TT30/2014), which this system does not compute.
 * - Secondary: TT22/2021 in grade 6 from 2021-2022, 7 and 10 from 2022-2023, 8 and 11 from
 *   2023-2024, 9 and 12 from 2024-2025; before that TT58/2011 (as amended by TT26/2020).
 * - Preschool: the periodic development evaluation against the child-development standard.
 */
export type RuleSet = 'tt22_2021' | 'tt58_2011' | 'tt27_2020' | 'tt22_2016' | 'preschool';

export const RULE_SET_LABELS: Record<RuleSet, string> = {
  tt22_2021: 'Thông tư 22/2021/TT-BGDĐT',
  tt58_2011: 'Thông tư 58/2011/TT-BGDĐT (sửa đổi bởi Thông tư 26/2020)',
  tt27_2020: 'Thông tư 27/2020/TT-BGDĐT',
  tt22_2016: 'Thông tư 22/2016/TT-BGDĐT (không còn áp dụng)',
  preschool: 'Đánh giá sự phát triển của trẻ (mầm non)',
};

/** First school year (start year) each grade was assessed under the new circular. */
const TT27_FROM: Record<number, number> = { 1: 2020, 2: 2021, 3: 2022, 4: 2023, 5: 2024 };
const TT22_FROM: Record<number, number> = { 6: 2021, 7: 2022, 8: 2023, 9: 2024, 10: 2022, 11: 2023, 12: 2024 };

/** The rule set for a grade (0 = preschool, 1–12) in the school year starting `startYear`. */
export function ruleSetFor(startYear: number, grade: number): RuleSet {
  if (!Number.isInteger(grade) || grade < 0 || grade > 12) throw new RangeError(`grade must be 0–12 (got ${grade})`);
  if (grade === 0) return 'preschool';
  if (grade <= 5) return startYear >= TT27_FROM[grade] ? 'tt27_2020' : 'tt22_2016';
  return startYear >= TT22_FROM[grade] ? 'tt22_2021' : 'tt58_2011';
}

/** Whether this system computes results under a rule set (TT22/2016 records are shown as kept). */
export const computesResults = (ruleSet: RuleSet): boolean => ruleSet !== 'tt22_2016';
