import { RightOutlined } from '@ant-design/icons';
import { Checkbox, Empty, Grid, Pagination, Spin, Table } from 'antd';
import type { TableColumnsType, TablePaginationConfig, TableProps } from 'antd';
import { type Key, type ReactNode, useState } from 'react';

const BREAKPOINT_PX = { sm: 576, md: 768, lg: 992, xl: 1200 } as const;
export type Breakpoint = keyof typeof BREAKPOINT_PX;

/**
 * True from the breakpoint up. Grid.useBreakpoint is empty on the first render; without the media
 * query a desktop would first get the phone layout and then jump under the pointer.
 */
export function useWide(from: Breakpoint = 'md'): boolean {
  const screens = Grid.useBreakpoint();
  return screens[from] ?? window.matchMedia(`(min-width: ${BREAKPOINT_PX[from]}px)`).matches;
}

export type ResponsiveListProps<T> = Omit<TableProps<T>, 'rowKey' | 'dataSource'> & {
  rowKey: (keyof T & string) | ((item: T) => Key);
  dataSource: readonly T[];
  /** What a phone shows of one item: the name first, then the one or two fields that matter. */
  card?: (item: T, index: number) => ReactNode;
  /**
   * Without `card`: the columns (by key or dataIndex) whose cells make the card, the first as its
   * title, the others on the line below. Defaults to the first three columns.
   */
  cardColumns?: string[];
  /** Buttons shown under a card (outside the tappable area, so they are separate tap targets). */
  cardActions?: (item: T) => ReactNode;
  /** A row click or a card tap: the rest of the item (its page or its drawer). */
  onOpen?: (item: T) => void;
  /** Items that have nothing to open (a class that is not the teacher's): no click, no chevron. */
  canOpen?: (item: T) => boolean;
  /** From this width up the table; below it the card list. */
  tableFrom?: Breakpoint;
  /** data-testid of each card, on the whole card with its actions (the table's rows take theirs from onRow). */
  itemTestId?: string;
  /** Further attributes of each card (data-status …). */
  cardAttrs?: (item: T) => Record<string, string>;
  /** With rowSelection: how a card's checkbox is named to assistive technology (antd's checkbox sits in a label of its own, so the card's text does not name it). */
  cardLabel?: (item: T) => string;
  /** Shown under the cards on phones (what the table's summary row says). */
  cardFooter?: ReactNode;
  'data-testid'?: string;
};

/**
 * One list, two layouts: an antd Table on wide screens, a list of tappable cards on phones (a
 * 1,000 px table in a 360 px window hides the name behind sideways scrolling). Pagination works the
 * same in both: server-side when the pagination config carries `total`, client-side otherwise.
 */
export function ResponsiveList<T extends object>(props: ResponsiveListProps<T>) {
  const { card, cardColumns, cardAttrs, cardActions, cardLabel, onOpen, canOpen = () => true, tableFrom = 'md', itemTestId, cardFooter, rowKey, dataSource, ...table } = props;
  const wide = useWide(tableFrom);
  const [localPage, setLocalPage] = useState(1);
  const [open, setOpen] = useState<Key | null>(null);
  const keyOf = (item: T): Key => (typeof rowKey === 'function' ? rowKey(item) : (item[rowKey] as Key));

  if (wide) {
    const onRow = table.onRow;
    return (
      <Table<T>
        {...table}
        className={[table.className, onOpen ? 'clickable-rows' : ''].filter(Boolean).join(' ') || undefined}
        rowKey={rowKey}
        dataSource={dataSource}
        onRow={(r, i) => ({ ...(onOpen && canOpen(r) ? { onClick: () => onOpen(r) } : {}), ...onRow?.(r, i) })}
      />
    );
  }

  const renderCard = card ?? ((it: T, i: number) => columnsCard(table.columns ?? [], cardColumns, it, i));
  const cfg: TablePaginationConfig | false = table.pagination === false ? false : (table.pagination ?? {});
  const serverSide = cfg !== false && cfg.total !== undefined;
  const pageSize = cfg === false ? dataSource.length || 1 : (cfg.pageSize ?? cfg.defaultPageSize ?? 10);
  const current = cfg !== false && serverSide ? (cfg.current ?? 1) : localPage;
  const total = cfg !== false && serverSide ? (cfg.total ?? 0) : dataSource.length;
  const items = cfg === false || serverSide ? dataSource : dataSource.slice((current - 1) * pageSize, current * pageSize);
  const loading = typeof table.loading === 'object' ? (table.loading.spinning ?? true) : !!table.loading;
  const emptyText = table.locale?.emptyText;
  const expanded = table.expandable?.expandedRowRender;
  const showPager = cfg !== false && !(cfg.hideOnSinglePage && total <= pageSize) && total > 0;

  return (
    <Spin spinning={loading} delay={typeof table.loading === 'object' ? table.loading.delay : undefined}>
      <div className="rlist" data-testid={props['data-testid']}>
        {items.length === 0 ? (
          <div className="rlist-empty">{loading ? null : ((typeof emptyText === 'function' ? emptyText() : emptyText) ?? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />)}</div>
        ) : (
          <ul className="rlist-cards">
            {items.map((it, i) => {
              const k = keyOf(it);
              const opens = !!onOpen && canOpen(it);
              const body = (
                <>
                  <span className="rlist-body">{renderCard(it, (current - 1) * pageSize + i)}</span>
                  {opens ? <RightOutlined className="rlist-chevron" aria-hidden /> : null}
                </>
              );
              // Without a page of its own, a tap shows what the table shows on expanding the row.
              const toggle = !onOpen && expanded ? () => setOpen(open === k ? null : k) : undefined;
              const tap = opens ? () => onOpen(it) : toggle;
              const sel = table.rowSelection;
              const picked = !!sel?.selectedRowKeys?.includes(k);
              return (
                <li key={k} className="rlist-card" data-testid={itemTestId} {...cardAttrs?.(it)}>
                  {sel ? (
                    // Selectable rows: the whole card is the checkbox's label, one big tap target.
                    <label className="rlist-main rlist-select">
                      <Checkbox
                        aria-label={cardLabel?.(it)}
                        checked={picked}
                        onChange={(e) => {
                          const keys = (sel.selectedRowKeys ?? []).filter((x) => x !== k).concat(e.target.checked ? [k] : []);
                          sel.onChange?.(keys, dataSource.filter((d) => keys.includes(keyOf(d))), { type: 'single' });
                        }}
                      />
                      {body}
                    </label>
                  ) : tap ? (
                    <button type="button" className="rlist-main" onClick={tap} aria-expanded={toggle ? open === k : undefined}>
                      {body}
                    </button>
                  ) : (
                    <div className="rlist-main">{body}</div>
                  )}
                  {cardActions ? <div className="rlist-actions">{cardActions(it)}</div> : null}
                  {toggle && open === k && expanded ? <div className="rlist-expanded">{expanded(it, i, 0, true)}</div> : null}
                </li>
              );
            })}
          </ul>
        )}
        {cardFooter ? <div className="rlist-footer">{cardFooter}</div> : null}
        {showPager ? (
          <Pagination
            className="rlist-pager"
            simple
            size="small"
            current={current}
            pageSize={pageSize}
            total={total}
            showTotal={cfg.showTotal}
            onChange={(p, ps) => (serverSide ? cfg.onChange?.(p, ps) : setLocalPage(p))}
          />
        ) : null}
      </div>
    </Spin>
  );
}

const columnId = (c: TableColumnsType<never>[number]): string | undefined =>
  (c.key as string | undefined) ?? ('dataIndex' in c && typeof c.dataIndex === 'string' ? c.dataIndex : undefined);

/** A card made of some of the table's own cells (the same renderers, so both layouts say the same). */
function columnsCard<T>(columns: TableColumnsType<T>, ids: string[] | undefined, item: T, index: number): ReactNode {
  const cols = ids ? ids.map((id) => columns.find((c) => columnId(c as never) === id)).filter((c) => !!c) : columns.slice(0, 3);
  const cell = (c: (typeof cols)[number]): ReactNode => {
    const value = 'dataIndex' in c && typeof c.dataIndex === 'string' ? (item as Record<string, unknown>)[c.dataIndex] : undefined;
    return c.render ? (c.render(value, item, index) as ReactNode) : (value as ReactNode);
  };
  const [first, ...rest] = cols;
  if (!first) return null;
  return (
    <>
      <span className="card-title">{cell(first)}</span>
      {rest.length ? (
        <span className="card-meta">
          {rest.map((c, i) => (
            <span key={i}>{cell(c)}</span>
          ))}
        </span>
      ) : null}
    </>
  );
}
