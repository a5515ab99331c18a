import { searchFold } from '../../../domain/index';

/** Select `showSearch` config: accent-insensitive match on the option label ("dan toc" finds "Dân tộc"). */
export const foldSearch = {
  filterOption: (input: string, option?: { label?: unknown }) => searchFold(String(option?.label ?? '')).includes(searchFold(input)),
};
