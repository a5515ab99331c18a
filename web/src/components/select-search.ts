import { nameMatchesQuery } from '../../../domain/index';

/** The text of an option's label; a label that is markup rather than text matches no search. */
export const labelText = (label: unknown): string => (typeof label === 'string' || typeof label === 'number' ? String(label) : '');

/**
 * Select `showSearch` config: every word typed starts a word of the option label, accents and
 * case ignored ("dan toc" finds "Dân tộc", "yen" finds "Yến" but not "Nguyễn"; domain name-search).
 */
export const foldSearch = {
  filterOption: (input: string, option?: { label?: unknown }) => nameMatchesQuery(labelText(option?.label), input),
};
