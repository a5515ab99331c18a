import type { OrgUnit } from '../api/types';

export type UnitNode = { unit: OrgUnit; children: UnitNode[] };

const KIND_ORDER = ['ministry', 'province_office', 'district_office', 'commune_office', 'school', 'school_site'];
const collator = new Intl.Collator('vi', { numeric: true, sensitivity: 'base' });

/** Build the forest from a flat, already date-filtered list; a unit whose parent is not visible becomes a root. */
export function buildUnitForest(units: OrgUnit[]): UnitNode[] {
  const byId = new Map<string, UnitNode>();
  for (const u of units) byId.set(u.id, { unit: u, children: [] });
  const roots: UnitNode[] = [];
  for (const n of byId.values()) {
    const parent = n.unit.parentId ? byId.get(n.unit.parentId) : undefined;
    if (parent) parent.children.push(n);
    else roots.push(n);
  }
  const sort = (list: UnitNode[]) => {
    list.sort(
      (a, b) => KIND_ORDER.indexOf(a.unit.kind) - KIND_ORDER.indexOf(b.unit.kind) || collator.compare(a.unit.name, b.unit.name),
    );
    for (const n of list) sort(n.children);
  };
  sort(roots);
  return roots;
}

export type SelectTreeNode = { value: string; title: string; selectable?: boolean; disabled?: boolean; children?: SelectTreeNode[] };

/** TreeSelect data; `selectable` decides which kinds can be picked (others only group). */
export function toSelectTree(forest: UnitNode[], selectable: (u: OrgUnit) => boolean = () => true): SelectTreeNode[] {
  return forest.map((n) => ({
    value: n.unit.id,
    title: n.unit.name,
    selectable: selectable(n.unit),
    children: n.children.length ? toSelectTree(n.children, selectable) : undefined,
  }));
}

/**
 * The first unit, in the tree's order, that may be chosen and whose name matches what was typed:
 * what Enter picks in a unit search (the list's first row may be an office that cannot be chosen).
 */
export function firstSelectableMatch(nodes: SelectTreeNode[], matches: (name: string) => boolean): SelectTreeNode | undefined {
  for (const n of nodes) {
    if (n.selectable !== false && matches(n.title)) return n;
    const below = n.children ? firstSelectableMatch(n.children, matches) : undefined;
    if (below) return below;
  }
  return undefined;
}
