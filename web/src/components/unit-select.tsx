import { TreeSelect } from 'antd';
import { useMemo, useState } from 'react';
import { nameMatchesQuery } from '../../../domain/index';
import { useOrgTree } from '../api/hooks';
import type { OrgUnit } from '../api/types';
import { buildUnitForest, firstSelectableMatch, toSelectTree } from './org-tree-data';
import { labelText } from './select-search';

type Props = {
  value?: string | null;
  onChange?: (id: string, unit: OrgUnit | undefined) => void;
  selectable?: (u: OrgUnit) => boolean;
  exclude?: string;
  placeholder?: string;
  style?: React.CSSProperties;
  asOf?: string;
  allowClear?: boolean;
  'data-testid'?: string;
};

/** Pick an org unit from the (today's or as-of) tree, with accent-insensitive search. */
export function UnitSelect({ value, onChange, selectable, exclude, placeholder, style, asOf, allowClear, ...rest }: Props) {
  const tree = useOrgTree(asOf);
  const units = tree.data?.units;
  const data = useMemo(() => {
    const list = (units ?? []).filter((u) => u.id !== exclude);
    return toSelectTree(buildUnitForest(list), selectable);
  }, [units, exclude, selectable]);
  const byId = useMemo(() => new Map((units ?? []).map((u) => [u.id, u])), [units]);
  const [search, setSearch] = useState('');
  const choose = (id: string) => {
    setSearch('');
    onChange?.(id, byId.get(id));
  };
  return (
    <TreeSelect
      data-testid={rest['data-testid']}
      style={style}
      value={value ?? undefined}
      treeData={data}
      loading={tree.isLoading}
      placeholder={placeholder}
      aria-label={placeholder}
      allowClear={allowClear}
      showSearch={{
        searchValue: search,
        onSearch: setSearch,
        filterTreeNode: (input, node) => nameMatchesQuery(labelText(node.title), input),
      }}
      // Typing a name and pressing Enter chooses the first unit that may be chosen, as a search box would.
      onKeyDown={(e) => {
        if (e.key !== 'Enter' || !search.trim()) return;
        const first = firstSelectableMatch(data, (name) => nameMatchesQuery(name, search));
        if (!first) return;
        e.preventDefault();
        e.stopPropagation();
        choose(first.value);
        // Closes the list, as choosing with the mouse does.
        (e.target as HTMLElement).blur();
      }}
      treeDefaultExpandedKeys={data.map((d) => d.value)}
      popupMatchSelectWidth={false}
      listHeight={360}
      onChange={(id: string) => choose(id)}
    />
  );
}
