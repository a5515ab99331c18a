/**
 * Vietnamese alphabetical order for free text (unit names, subject names): a < ă < â, d < đ …
 * (CLDR/ICU "vi", domain-vn §10). Plain `localeCompare` without 'vi' puts "Đ" after "Z".
 * People's names sort by given name first: use the name module's sort key for those.
 */
const collator = new Intl.Collator('vi', { sensitivity: 'variant', numeric: true });

export function compareVietnameseText(a: string, b: string): number {
  return collator.compare(a, b);
}
