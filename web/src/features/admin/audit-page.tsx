import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Select, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import { useUsers } from '../../api/hooks';
import type { AuditEntry, AuditPage as TAuditPage } from '../../api/types';
import { fmtDateTime, fmtNum } from '../../components/format';
import { PageHeader } from '../../components/page-header';
import { ResponsiveList } from '../../components/responsive-list';
import { QueryError } from '../../components/query-error';
import { foldSearch } from '../../components/select-search';
import { UnitSelect } from '../../components/unit-select';
import { VnRangePicker } from '../../components/vn-date-picker';
import { vi } from '../../i18n/vi';
import { useSession } from '../auth/session';

const t = vi.audit;

export const actionLabel = (a: string): string => t.actions[a] ?? a;
const entityLabel = (e: string): string => t.entities[e] ?? e;

export function AuditPage() {
  const session = useSession();
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

  const columns: TableColumnsType<AuditEntry> = [
    { title: t.at, dataIndex: 'at', width: 140, render: (v: string) => <span className="num">{fmtDateTime(v)}</span> },
    { title: t.user, dataIndex: 'username', width: 150, render: (v: string | null) => v ?? <Typography.Text type="secondary">{t.system}</Typography.Text> },
    { title: t.action, dataIndex: 'action', width: 220, render: (v: string) => <span title={v}>{actionLabel(v)}</span> },
    {
      title: t.object,
      key: 'obj',
      width: 200,
      render: (_, r) => (
        <span>
          {entityLabel(r.entity)}
          {r.entityId ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }} title={r.entityId}>
              {' '}
              #{r.entityId.slice(-6)}
            </Typography.Text>
          ) : null}
        </span>
      ),
    },
    { title: t.orgUnit, dataIndex: 'orgUnitName', width: 220, render: (v: string | null) => v ?? vi.common.none },
  ];

  return (
    <>
      <PageHeader title={t.title} subtitle={q.data ? t.count(fmtNum(q.data.total)) : undefined} />
      <div className="filters">
        <UnitSelect
          style={{ width: 320 }}
          value={unitId}
          placeholder={t.unit}
          onChange={(id) => {
            setUnitId(id);
            setUserId(undefined);
            setPage(1);
          }}
        />
        <Select
          className="f-200"
          allowClear
          showSearch={foldSearch}
          placeholder={t.user}
          aria-label={t.user}
          value={userId}
          loading={users.isLoading}
          options={(users.data ?? []).map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` }))}
          onChange={(v?: string) => {
            setUserId(v);
            setPage(1);
          }}
          popupMatchSelectWidth={false}
        />
        <Select
          className="f-200"
          allowClear
          placeholder={t.entity}
          aria-label={t.entity}
          value={entity}
          options={Object.entries(t.entities).map(([value, label]) => ({ value, label }))}
          onChange={(v?: string) => {
            setEntity(v);
            setPage(1);
          }}
        />
        <VnRangePicker
          value={range}
          onChange={(v) => {
            setRange(v);
            setPage(1);
          }}
        />
      </div>
      {q.isError ? <QueryError error={q.error} onRetry={() => q.refetch()} /> : null}
      <ResponsiveList<AuditEntry>
        size="small"
        bordered
        rowKey="id"
        loading={q.isFetching}
        columns={columns}
        dataSource={q.data?.items ?? []}
        tableFrom="xl"
        cardColumns={['action', 'obj', 'at', 'username']}
        expandable={{ expandedRowRender: (r) => <AuditDiff before={r.before} after={r.after} />, rowExpandable: (r) => r.before != null || r.after != null }}
        pagination={{
          current: page,
          pageSize,
          total: q.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100, 200],
          size: 'small',
          showTotal: (total, r) => vi.common.totalItems(fmtNum(r[0]), fmtNum(r[1]), fmtNum(total)),
          onChange: (p, ps) => {
            setPage(ps !== pageSize ? 1 : p);
            setPageSize(ps);
          },
        }}
      />
    </>
  );
}

const show = (v: unknown): string => (v === undefined ? '' : v === null ? 'null' : typeof v === 'string' ? v : JSON.stringify(v, null, 2));
const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Field-by-field before/after; changed fields are highlighted. Non-object values are shown whole. */
export function AuditDiff({ before, after }: { before: unknown; after: unknown }) {
  if (before == null && after == null) return <Typography.Text type="secondary">{t.noChange}</Typography.Text>;
  if (!isObj(before ?? {}) || !isObj(after ?? {})) {
    return (
      <Table
        size="small"
        pagination={false}
        rowKey="k"
        dataSource={[{ k: 'v', before: show(before), after: show(after) }]}
        columns={[
          { title: t.before, dataIndex: 'before', render: (v: string) => <pre className="json-cell">{v}</pre> },
          { title: t.after, dataIndex: 'after', render: (v: string) => <pre className="json-cell">{v}</pre> },
        ]}
      />
    );
  }
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  const rows = keys.map((k) => ({ k, before: show(b[k]), after: show(a[k]), changed: show(b[k]) !== show(a[k]) }));
  rows.sort((x, y) => Number(y.changed) - Number(x.changed));
  return (
    <Table
      size="small"
      pagination={false}
      rowKey="k"
      scroll={{ x: true }}
      dataSource={rows}
      rowClassName={(r) => (r.changed && before != null && after != null ? 'diff-changed' : '')}
      columns={[
        { title: t.field, dataIndex: 'k', width: 180, render: (v: string) => <code>{v}</code> },
        { title: t.before, dataIndex: 'before', render: (v: string) => <pre className="json-cell">{v || vi.common.none}</pre> },
        { title: t.after, dataIndex: 'after', render: (v: string) => <pre className="json-cell">{v || vi.common.none}</pre> },
      ]}
    />
  );
}
