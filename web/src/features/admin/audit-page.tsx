import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Empty, Grid, Pagination, Select, Spin, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import { useUsers } from '../../api/hooks';
import type { AuditEntry, AuditPage as TAuditPage } from '../../api/types';
import { fmtNum } from '../../components/format';
import { PageHeader } from '../../components/page-header';
import { QueryError } from '../../components/query-error';
import { foldSearch } from '../../components/select-search';
import { UnitSelect } from '../../components/unit-select';
import { VnRangePicker } from '../../components/lazy-date-picker';
import { vi } from '../../i18n/vi';
import { useSession } from '../auth/session';

const t = vi.audit;

/** From md (768 px) up a table; below it cards a thumb can scroll (a 930 px table does not fit 360 px). */
function useWide(): boolean {
  const screens = Grid.useBreakpoint();
  // useBreakpoint is empty on the first render: ask the media query, so a desktop does not flash the cards.
  return screens.md ?? window.matchMedia('(min-width: 768px)').matches;
}

/** A filter with its visible label: the label names the field for screen readers too. */
function Filter({ label, className, children }: { label: string; className?: string; children: React.ReactNode }) {
  return (
    <label className={['audit-filter', className].filter(Boolean).join(' ')}>
      <span className="audit-filter-label">{label}</span>
      {children}
    </label>
  );
}

export function AuditPage() {
  const session = useSession();
  const wide = useWide();
  const [unitId, setUnitId] = useState<string | null>(session.homeUnitId);
  const [userId, setUserId] = useState<string | undefined>();
  const [entity, setEntity] = useState<string | undefined>();
  const [range, setRange] = useState<[string | null, string | null] | null>(null);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const users = useUsers(unitId);

  const q = useQuery({
    queryKey: ['audit', unitId, userId ?? null, entity ?? null, range, page, pageSize],
    queryFn: ({ signal }) =>
      api.get<TAuditPage>('/audit', { unitId, userId, entity, from: range?.[0] ?? undefined, to: range?.[1] ?? undefined, page, pageSize }, signal),
    enabled: !!unitId,
    placeholderData: keepPreviousData,
  });

  // What the server's audit presenter wrote: no ids, codes or field names to translate here.
  const columns: TableColumnsType<AuditEntry> = [
    { title: t.at, key: 'when', width: 150, render: (_, r) => <span className="num nowrap">{r.view.when}</span> },
    { title: t.user, key: 'who', width: 200, render: (_, r) => r.view.who },
    { title: t.action, key: 'action', width: 230, render: (_, r) => r.view.action },
    { title: t.object, key: 'target', render: (_, r) => r.view.target },
    { title: t.orgUnit, key: 'unit', width: 200, render: (_, r) => r.view.unit ?? vi.common.none },
  ];

  const pagination = {
    current: page,
    pageSize,
    total: q.data?.total ?? 0,
    showSizeChanger: true,
    pageSizeOptions: [20, 50, 100, 200],
    size: 'small' as const,
    showTotal: (total: number, r: [number, number]) => vi.common.totalItems(fmtNum(r[0]), fmtNum(r[1]), fmtNum(total)),
    onChange: (p: number, ps: number) => {
      setPage(ps !== pageSize ? 1 : p);
      setPageSize(ps);
    },
  };
  const items = q.data?.items ?? [];

  return (
    <>
      <PageHeader title={t.title} subtitle={q.data ? t.count(fmtNum(q.data.total)) : undefined} />
      <div className="filters audit-filters">
        <Filter label={t.unit} className="audit-filter-unit">
          <UnitSelect
            style={{ width: '100%' }}
            value={unitId}
            placeholder={t.unit}
            onChange={(id) => {
              setUnitId(id);
              setUserId(undefined);
              setPage(1);
            }}
          />
        </Filter>
        <Filter label={t.user}>
          <Select
            style={{ width: '100%' }}
            allowClear
            showSearch={foldSearch}
            placeholder={t.allUsers}
            value={userId}
            loading={users.isLoading}
            options={(users.data ?? []).map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` }))}
            onChange={(v?: string) => {
              setUserId(v);
              setPage(1);
            }}
            popupMatchSelectWidth={false}
          />
        </Filter>
        <Filter label={t.entity}>
          <Select
            style={{ width: '100%' }}
            allowClear
            placeholder={t.allEntities}
            value={entity}
            options={Object.entries(t.entities).map(([value, label]) => ({ value, label }))}
            onChange={(v?: string) => {
              setEntity(v);
              setPage(1);
            }}
          />
        </Filter>
        <Filter label={t.range}>
          <VnRangePicker
            style={{ width: '100%' }}
            value={range}
            onChange={(v) => {
              setRange(v);
              setPage(1);
            }}
          />
        </Filter>
      </div>
      {q.isError ? <QueryError error={q.error} onRetry={() => q.refetch()} /> : null}
      {wide ? (
        <Table<AuditEntry>
          size="small"
          bordered
          rowKey="id"
          loading={q.isFetching}
          columns={columns}
          dataSource={items}
          tableLayout="fixed"
          expandable={{ expandedRowRender: (r) => <AuditChanges entry={r} />, rowExpandable: (r) => r.view.changes.length > 0 }}
          pagination={pagination}
        />
      ) : (
        <Spin spinning={q.isFetching}>
          {items.length === 0 && !q.isFetching ? <Empty description={t.empty} /> : null}
          <ol className="audit-cards" data-testid="audit-cards">
            {items.map((r) => (
              <li key={r.id} className="audit-card" data-testid="audit-card">
                <div className="audit-card-action">{r.view.action}</div>
                <div className="audit-card-target">{r.view.target}</div>
                <div className="audit-card-meta">
                  <span className="num">{r.view.when}</span> · {r.view.who}
                  {r.view.unit ? ` · ${r.view.unit}` : ''}
                </div>
                <AuditChangeLines entry={r} />
              </li>
            ))}
          </ol>
          <Pagination className="audit-cards-pagination" simple {...pagination} showSizeChanger={false} showTotal={undefined} />
        </Spin>
      )}
    </>
  );
}

/** The changes as lines ("Ngày sinh: 27/08/2014 → 28/08/2014"): on a phone, under the card. */
function AuditChangeLines({ entry }: { entry: AuditEntry }) {
  if (entry.view.changes.length === 0) return null;
  return (
    <ul className="audit-change-lines">
      {entry.view.changes.map((c, i) => (
        <li key={i}>{c.text}</li>
      ))}
    </ul>
  );
}

/** The changes as a small table: field, before, after (changed values highlighted). */
export function AuditChanges({ entry }: { entry: AuditEntry }) {
  const rows = entry.view.changes.map((c, i) => ({ key: i, ...c }));
  if (rows.length === 0) return <Typography.Text type="secondary">{t.noChange}</Typography.Text>;
  const diff = rows.some((r) => r.before !== null && r.after !== null);
  return (
    <Table
      size="small"
      pagination={false}
      dataSource={rows}
      tableLayout="fixed"
      rowClassName={(r) => (r.before !== null && r.after !== null ? 'diff-changed' : '')}
      columns={[
        { title: t.field, dataIndex: 'label', width: 220 },
        ...(diff ? [{ title: t.before, dataIndex: 'before', render: (v: string | null) => <span className="audit-value">{v ?? vi.common.none}</span> }] : []),
        { title: diff ? t.after : t.value, dataIndex: 'after', render: (v: string | null, r) => <span className="audit-value">{v ?? r.before ?? vi.common.none}</span> },
      ]}
    />
  );
}
