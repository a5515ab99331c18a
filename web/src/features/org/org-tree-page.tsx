import { ApartmentOutlined, BankOutlined, EditOutlined, HomeOutlined, MergeCellsOutlined, PlusOutlined, StopOutlined, SwapOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Descriptions, Empty, Flex, Grid, Input, Row, Skeleton, Table, Tag, Timeline, Tree, Typography } from 'antd';
import type { TreeDataNode } from 'antd';
import { type ReactNode, useMemo, useRef, useState } from 'react';
import { isoToday, nameMatchesQuery, searchFold } from '../../../../domain/index';
import { api } from '../../api/client';
import { useOrgTree } from '../../api/hooks';
import type { OrgUnit, OrgUnitDetail, UnitSchools } from '../../api/types';
import { fmtDate, fmtNum } from '../../components/format';
import { buildUnitForest, type UnitNode } from '../../components/org-tree-data';
import { PageHeader } from '../../components/page-header';
import { ResponsiveList } from '../../components/responsive-list';
import { QueryError } from '../../components/query-error';
import { useWindowHeight } from '../../components/use-window-height';
import { VnDatePicker } from '../../components/lazy-date-picker';
import { vi } from '../../i18n/vi';
import { navigate, setQuery, useRoute } from '../../router';
import { useSession } from '../auth/session';
import { type OrgAction, OrgActionModal } from './org-action-modal';

const t = vi.org;
const KIND_COLORS: Record<string, string> = {
  ministry: 'magenta',
  province_office: 'purple',
  district_office: 'volcano',
  commune_office: 'geekblue',
  school: 'blue',
  school_site: 'cyan',
};
const KIND_ICONS: Record<string, ReactNode> = {
  ministry: <BankOutlined />,
  province_office: <BankOutlined />,
  district_office: <ApartmentOutlined />,
  commune_office: <ApartmentOutlined />,
  school: <HomeOutlined />,
  school_site: <HomeOutlined />,
};

export const unitKindTag = (kind: string) => (
  <Tag className="kind-tag" color={KIND_COLORS[kind]} variant="filled">
    {vi.unitKinds[kind] ?? kind}
  </Tag>
);

export function OrgTreePage() {
  const { query } = useRoute();
  const screens = Grid.useBreakpoint();
  const height = useWindowHeight();
  const asOf = query.get('ngay') ?? isoToday();
  const selected = query.get('dv');
  const tree = useOrgTree(asOf);
  const [filter, setFilter] = useState('');
  const [expanded, setExpanded] = useState<string[] | null>(null);
  const detailRef = useRef<HTMLDivElement>(null);

  const forest = useMemo(() => buildUnitForest(tree.data?.units ?? []), [tree.data]);

  // Default: open every office so its schools show, plus the path to the selected unit; schools (with their sites) stay folded.
  const defaultExpanded = useMemo(() => {
    const keys = new Set<string>();
    const byId = new Map((tree.data?.units ?? []).map((u) => [u.id, u]));
    const walk = (n: UnitNode) => {
      if (n.unit.kind !== 'school' && n.unit.kind !== 'school_site') keys.add(n.unit.id);
      n.children.forEach(walk);
    };
    forest.forEach(walk);
    for (let u = selected ? byId.get(selected) : undefined; u?.parentId; u = byId.get(u.parentId)) keys.add(u.parentId);
    return [...keys];
  }, [forest, tree.data, selected]);

  const f = searchFold(filter.trim());
  const { data, matchKeys } = useMemo(() => {
    const keys: string[] = [];
    const toNode = (n: UnitNode): TreeDataNode | null => {
      const kids = n.children.map(toNode).filter((x): x is TreeDataNode => !!x);
      const hit = !f || nameMatchesQuery(n.unit.name, f) || searchFold(n.unit.code ?? '') === f;
      if (!hit && kids.length === 0) return null;
      if (f && kids.length) keys.push(n.unit.id);
      return {
        key: n.unit.id,
        title: (
          <span title={`${n.unit.name} — ${vi.unitKinds[n.unit.kind] ?? n.unit.kind}`}>
            {n.unit.name}
            {n.unit.kind !== 'school' && n.unit.kind !== 'school_site' ? unitKindTag(n.unit.kind) : null}
          </span>
        ),
        icon: KIND_ICONS[n.unit.kind],
        children: kids.length ? kids : undefined,
        isLeaf: kids.length === 0,
      };
    };
    return { data: forest.map(toNode).filter((x): x is TreeDataNode => !!x), matchKeys: keys };
  }, [forest, f]);

  const select = (id: string) => {
    setQuery({ dv: id });
    if (!screens.lg) setTimeout(() => detailRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }), 50);
  };

  return (
    <>
      <PageHeader
        title={t.title}
        extra={
          <Flex align="center" gap={8} wrap>
            <VnDatePicker
              aria-label={vi.common.asOf}
              value={asOf}
              allowClear={false}
              onChange={(v) => setQuery({ ngay: v && v !== isoToday() ? v : undefined })}
              prefix={<span style={{ color: '#667085' }}>{vi.common.asOf}:</span>}
              data-testid="org-asof"
            />
            {asOf !== isoToday() ? <Button onClick={() => setQuery({ ngay: undefined })}>{vi.common.today}</Button> : null}
          </Flex>
        }
      />
      {tree.isError ? <QueryError error={tree.error} onRetry={() => tree.refetch()} /> : null}
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={10} xxl={8}>
          <Card size="small" title={`${t.title} — ${fmtDate(asOf)}`}>
            <Input.Search allowClear placeholder={t.filter} aria-label={t.filter} value={filter} onChange={(e) => setFilter(e.target.value)} style={{ marginBottom: 8 }} />
            {tree.isLoading ? (
              <Skeleton active />
            ) : data.length === 0 ? (
              <Empty description={vi.common.noData} />
            ) : (
              <Tree
                className="unit-tree"
                showIcon
                blockNode
                data-testid="org-tree"
                treeData={data}
                height={screens.lg ? Math.max(360, height - 300) : 420}
                selectedKeys={selected ? [selected] : []}
                expandedKeys={f ? matchKeys : (expanded ?? defaultExpanded)}
                onExpand={(keys) => setExpanded(keys as string[])}
                onSelect={(keys) => keys[0] && select(String(keys[0]))}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={14} xxl={16}>
          <div ref={detailRef}>
            {selected && tree.data && !tree.isPlaceholderData && !tree.data.units.some((u) => u.id === selected) ? (
              <Alert type="info" showIcon title={t.notOnDate(fmtDate(asOf))} style={{ marginBottom: 12 }} />
            ) : null}
            {selected ? (
              <UnitDetail key={selected} unitId={selected} asOf={asOf} onSelect={select} units={tree.data?.units ?? []} />
            ) : (
              <Card>
                <Empty description={t.pickUnit} />
              </Card>
            )}
          </div>
        </Col>
      </Row>
    </>
  );
}

const ADD_CHILD: Record<string, boolean> = { ministry: true, province_office: true, district_office: true, commune_office: true, school: true };

function UnitDetail({ unitId, asOf, onSelect, units }: { unitId: string; asOf: string; onSelect: (id: string) => void; units: OrgUnit[] }) {
  const session = useSession();
  const [action, setAction] = useState<OrgAction | null>(null);
  const detail = useQuery({
    queryKey: ['org-unit', unitId, asOf],
    queryFn: ({ signal }) => api.get<OrgUnitDetail>(`/org-units/${unitId}`, { asOf }, signal),
  });
  const kind = detail.data?.unit.kind;
  const schools = useQuery({
    queryKey: ['org-unit-schools', unitId, asOf],
    queryFn: ({ signal }) => api.get<UnitSchools>(`/org-units/${unitId}/schools`, { asOf }, signal),
    enabled: !!kind && kind !== 'school_site',
  });

  if (detail.isError) return <QueryError error={detail.error} onRetry={() => detail.refetch()} />;
  if (detail.isLoading || !detail.data) return <Card><Skeleton active /></Card>;
  const { unit, history, children } = detail.data;
  const admin = session.isTreeAdmin;
  const parentName = history.find((h) => h.validFrom <= asOf && (!h.validTo || h.validTo > asOf))?.parentName ?? units.find((u) => u.id === unit.parentId)?.name ?? null;
  // A version ending is not a closure (moves and renames end versions too): closed = no version is valid today.
  const today = isoToday();
  const closed = history.length > 0 && !history.some((h) => h.validFrom <= today && (!h.validTo || h.validTo > today));
  const isSchool = unit.kind === 'school';
  const own = isSchool ? schools.data?.schools.find((x) => x.id === unit.id) : undefined;

  return (
    <>
      <Card
        size="small"
        title={
          <span>
            {unit.name}
            {unitKindTag(unit.kind)}
            {closed ? <Tag color="default">{t.closedUnitTag}</Tag> : null}
          </span>
        }
        style={{ marginBottom: 12 }}
      >
        <Flex gap={8} wrap style={{ marginBottom: 12 }}>
          {unit.kind === 'school' ? (
            <Button
              type="primary"
              icon={<HomeOutlined />}
              onClick={() => {
                session.setSchool({ id: unit.id, name: unit.name });
                navigate('/tong-quan');
              }}
            >
              {t.openSchool}
            </Button>
          ) : null}
          {admin && ADD_CHILD[unit.kind] && !closed ? (
            <Button icon={<PlusOutlined />} onClick={() => setAction('add')}>
              {t.add}
            </Button>
          ) : null}
          {admin && unit.kind !== 'ministry' && !closed ? (
            <>
              <Button icon={<SwapOutlined />} onClick={() => setAction('move')}>
                {t.move}
              </Button>
              <Button icon={<EditOutlined />} onClick={() => setAction('rename')}>
                {t.rename}
              </Button>
              <Button icon={<MergeCellsOutlined />} onClick={() => setAction('merge')}>
                {t.merge}
              </Button>
              <Button danger icon={<StopOutlined />} onClick={() => setAction('close')}>
                {t.close}
              </Button>
            </>
          ) : null}
        </Flex>
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 1, xxl: 2 }}
          items={[
            { key: 'code', label: t.code, children: unit.code ?? vi.common.none },
            { key: 'kind', label: t.kind, children: vi.unitKinds[unit.kind] ?? unit.kind },
            { key: 'parent', label: t.parent, children: parentName ?? vi.common.none },
            ...(unit.schoolLevels.length ? [{ key: 'lv', label: t.levels, children: unit.schoolLevels.map((l) => vi.schoolLevels[l] ?? l).join(', ') }] : []),
            ...(unit.ownership ? [{ key: 'own', label: t.ownership, children: vi.ownership[unit.ownership] }] : []),
            ...(unit.area ? [{ key: 'area', label: t.area, children: vi.area[unit.area] ?? unit.area }] : []),
            ...(own
              ? [
                  { key: 'st', label: t.students, children: fmtNum(own.students) },
                  { key: 'cl', label: t.classes, children: fmtNum(own.classes) },
                ]
              : []),
            { key: 'valid', label: t.validFrom, children: `${fmtDate(unit.validFrom)} – ${unit.validTo ? fmtDate(unit.validTo) : t.stillValid}` },
          ]}
        />
        {children.filter((c) => c.kind !== 'school').length ? (
          <div style={{ marginTop: 8 }}>
            <Typography.Text type="secondary">{t.children}: </Typography.Text>
            <Flex gap={4} wrap style={{ marginTop: 4 }}>
              {children
                .filter((c) => c.kind !== 'school')
                .map((c) => (
                  <Tag key={c.id} style={{ cursor: 'pointer' }} color={KIND_COLORS[c.kind]} onClick={() => onSelect(c.id)}>
                    {c.name}
                  </Tag>
                ))}
            </Flex>
          </div>
        ) : null}
      </Card>
      <Row gutter={[12, 12]}>
        <Col xs={24} xxl={schools.data && !isSchool ? 9 : 24}>
          <Card size="small" title={t.history}>
            <Timeline
              items={[...history]
                .sort((a, b) => b.validFrom.localeCompare(a.validFrom))
                .map((h, i) => ({
                  key: `${h.validFrom}-${i}`,
                  color: h.validTo ? 'gray' : 'green',
                  content: (
                    <div>
                      <div className="num" style={{ color: '#667085', fontSize: 13 }}>
                        {t.historyItem(fmtDate(h.validFrom), h.validTo ? fmtDate(h.validTo) : t.stillValid)}
                      </div>
                      <strong>{h.name}</strong>
                      {h.parentName ? <div style={{ color: '#475467' }}>{t.under(h.parentName)}</div> : null}
                      {h.changeReason ? <div style={{ color: '#667085', fontStyle: 'italic' }}>{h.changeReason}</div> : null}
                    </div>
                  ),
                }))}
            />
          </Card>
        </Col>
        {!isSchool && (schools.data || schools.isLoading) ? (
          <Col xs={24} xxl={15}>
            <Card
              size="small"
              title={t.schools}
              extra={schools.data ? <Typography.Text type="secondary">{t.totals(fmtNum(schools.data.totals.schools), fmtNum(schools.data.totals.students), fmtNum(schools.data.totals.classes))}</Typography.Text> : null}
            >
              {schools.isError ? <QueryError error={schools.error} /> : null}
              <ResponsiveList
                size="small"
                rowKey="id"
                loading={schools.isLoading}
                dataSource={schools.data?.schools ?? []}
                tableFrom="lg"
                pagination={{ defaultPageSize: 20, hideOnSinglePage: true, size: 'small' }}
                onOpen={(r) => onSelect(r.id)}
                card={(r) => (
                  <>
                    <span className="card-title">{r.name}</span>
                    <span className="card-meta">
                      <span>{r.schoolLevels.map((l) => vi.schoolLevels[l] ?? l).join(', ')}</span>
                      <span className="num">{`${fmtNum(r.students)} ${t.students.toLowerCase()}`}</span>
                      <span className="num">{`${fmtNum(r.classes)} ${t.classes.toLowerCase()}`}</span>
                    </span>
                  </>
                )}
                columns={[
                  { title: t.schoolName, dataIndex: 'name' },
                  { title: t.levels, dataIndex: 'schoolLevels', width: 110, render: (v: string[]) => v.map((l) => vi.schoolLevels[l] ?? l).join(', ') },
                  { title: t.parent, dataIndex: 'parentName', width: 160, render: (v: string | null) => v ?? vi.common.none },
                  { title: t.students, dataIndex: 'students', width: 90, align: 'right', render: (n: number) => <span className="num">{fmtNum(n)}</span> },
                  { title: t.classes, dataIndex: 'classes', width: 70, align: 'right', render: (n: number) => <span className="num">{fmtNum(n)}</span> },
                ]}
                summary={() =>
                  schools.data && schools.data.schools.length > 1 ? (
                    <Table.Summary.Row>
                      <Table.Summary.Cell index={0} colSpan={3}>
                        <strong>{`${vi.common.total} (${fmtNum(schools.data.totals.schools)})`}</strong>
                      </Table.Summary.Cell>
                      <Table.Summary.Cell index={3} align="right">
                        <strong className="num">{fmtNum(schools.data.totals.students)}</strong>
                      </Table.Summary.Cell>
                      <Table.Summary.Cell index={4} align="right">
                        <strong className="num">{fmtNum(schools.data.totals.classes)}</strong>
                      </Table.Summary.Cell>
                    </Table.Summary.Row>
                  ) : null
                }
              />
            </Card>
          </Col>
        ) : null}
      </Row>
      <OrgActionModal action={action} unit={unit} asOf={asOf} onClose={() => setAction(null)} />
    </>
  );
}
