import { searchFold } from '../../../domain/index';

/** The text of an option's label; a label that is markup rather than text matches no search. */
export const labelText = (label: unknown): string => (typeof label === 'string' || typeof label === 'number' ? String(label) : '');

/** Select `showSearch` config: accent-insensitive match on the option label ("dan toc" finds "Dân tộc"). */
export const foldSearch = {
  filterOption: (input: string, option?: { label?: unknown }) => searchFold(labelText(option?.label)).includes(searchFold(input)),
};
