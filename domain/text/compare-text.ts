/**
 * Vietnamese alphabetical order for free text (unit names, subject names): a < ă < â, d < đ …
 * (CLDR/ICU "vi", domain-vn §10). Plain `localeCompare` without 'vi' puts "Đ" after "Z".
 * People's names sort by given name first: use the name module's sort key for those.
 */
const collator = new Intl.Collator('vi', { sensitivity: 'variant', numeric: true });

/**
 * A total order: where the collator finds two different texts equal ("0" and "00" with numeric
 * comparison), their code units decide, so a list sorts the same whatever order it came in.
 */
export function compareVietnameseText(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
