import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Badge, Button, Card, Empty, Grid, Segmented, Select, Tabs, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import type { TransferItem, TransferList } from '../../api/types';
import { fmtDate, fmtDateTime } from '../../components/format';
import { PageHeader } from '../../components/page-header';
import { ResponsiveList } from '../../components/responsive-list';
import { QueryError } from '../../components/query-error';
import { vi } from '../../i18n/vi';
import { navigate, setQuery, useRoute } from '../../router';
import { OFFICE_ROLES, useSession } from '../auth/session';
import { RequestTransferModal, type Step, TransferStepModal } from './transfer-dialogs';

const t = vi.transfers;
const STATUS_COLOR: Record<string, string> = { pending: 'gold', completed: 'green', declined: 'red', cancelled: 'default' };
type StatusFilter = 'pending' | 'completed' | 'declined' | 'cancelled' | 'all';
const STATUS_FILTERS: StatusFilter[] = ['pending', 'completed', 'declined', 'cancelled', 'all'];
const PAGE_SIZE = 50;

/**
 * "Chuyển trường": a school's managers see learners coming (incoming) and leaving (outgoing); an
 * office sees the transfers of the schools below it and decides for closed ones.
 */
export function TransfersPage() {
  const s = useSession();
  const school = s.school;
  const managesSchool = !!school && s.me.grants.some((g) => ['principal', 'school_staff'].includes(g.role) && g.orgUnitId === school.id);
  const officeGrant = s.me.grants.find((g) => OFFICE_ROLES.includes(g.role));
  if (managesSchool && school) return <SchoolTransfers schoolId={school.id} schoolName={school.name} key={school.id} />;
  if (officeGrant) return <OfficeTransfers unitId={officeGrant.orgUnitId} unitName={officeGrant.orgUnitName} key={officeGrant.orgUnitId} />;
  return (
    <>
      <PageHeader title={t.title} />
      <Card>
        <Empty description={t.noUnit} />
      </Card>
    </>
  );
}

function useStatusFilter(): [StatusFilter, (s: StatusFilter) => void] {
  const { query } = useRoute();
  const raw = query.get('tt') as StatusFilter | null;
  const status = raw && STATUS_FILTERS.includes(raw) ? raw : 'pending';
  return [status, (v) => setQuery({ tt: v === 'pending' ? undefined : v, trang: undefined })];
}

/** Five states side by side on wide screens; a drop-down on phones, where they would not fit. */
function StatusSegmented({ value, onChange }: { value: StatusFilter; onChange: (s: StatusFilter) => void }) {
  const screens = Grid.useBreakpoint();
  const options = STATUS_FILTERS.map((s) => ({ value: s, label: s === 'all' ? vi.common.all : t.statuses[s] }));
  return (
    <div className="transfer-filter">
      {screens.sm ? (
        <Segmented<StatusFilter> value={value} onChange={onChange} options={options} data-testid="transfer-status-filter" />
      ) : (
        <Select<StatusFilter>
          value={value}
          onChange={onChange}
          options={options}
          prefix={`${t.statusFilter}:`}
          style={{ width: '100%' }}
          aria-label={t.statusFilter}
          data-testid="transfer-status-filter"
        />
      )}
    </div>
  );
}

function SchoolTransfers({ schoolId, schoolName }: { schoolId: string; schoolName: string }) {
  const { query } = useRoute();
  const direction = query.get('huong') === 'di' ? 'outgoing' : 'incoming';
  const [status, setStatus] = useStatusFilter();
  const page = Number(query.get('trang') ?? 1) || 1;
  const [asking, setAsking] = useState(false);
  const list = useQuery({
    queryKey: ['transfers', 'school', schoolId, direction, status, page],
    queryFn: ({ signal }) =>
      api.get<TransferList>(`/schools/${schoolId}/transfers`, { direction, status: status === 'all' ? undefined : status, page, pageSize: PAGE_SIZE }, signal),
    placeholderData: keepPreviousData,
  });
  const pending = list.data?.pending;
  const tabLabel = (label: string, n: number | undefined) => (
    <span>
      {label} {n ? <Badge count={n} size="small" color="#d48806" /> : null}
    </span>
  );
  return (
    <>
      <PageHeader
        title={t.title}
        subtitle={schoolName}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setAsking(true)} data-testid="transfer-request-open">
            {t.request}
          </Button>
        }
      />
      <Tabs
        activeKey={direction}
        onChange={(k) => setQuery({ huong: k === 'outgoing' ? 'di' : undefined, trang: undefined })}
        items={[
          { key: 'incoming', label: <span data-testid="transfer-tab-incoming">{tabLabel(t.incoming, pending?.incoming)}</span> },
          { key: 'outgoing', label: <span data-testid="transfer-tab-outgoing">{tabLabel(t.outgoing, pending?.outgoing)}</span> },
        ]}
      />
      <StatusSegmented value={status} onChange={setStatus} />
      <TransferItems list={list} page={page} perspective={{ schoolId }} />
      <RequestTransferModal schoolId={schoolId} open={asking} onClose={() => setAsking(false)} />
    </>
  );
}

function OfficeTransfers({ unitId, unitName }: { unitId: string; unitName: string }) {
  const { query } = useRoute();
  const [status, setStatus] = useStatusFilter();
  const page = Number(query.get('trang') ?? 1) || 1;
  const list = useQuery({
    queryKey: ['transfers', 'office', unitId, status, page],
    queryFn: ({ signal }) => api.get<TransferList>(`/org-units/${unitId}/transfers`, { status: status === 'all' ? undefined : status, page, pageSize: PAGE_SIZE }, signal),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <PageHeader title={t.title} subtitle={t.officeSubtitle(unitName)} />
      <StatusSegmented value={status} onChange={setStatus} />
      <TransferItems list={list} page={page} perspective={null} />
    </>
  );
}

type ListQuery = ReturnType<typeof useQuery<TransferList>>;

/** The rows as a table on wide screens and as cards on phones; the actions the server offers as buttons. */
function TransferItems({ list, page, perspective }: { list: ListQuery; page: number; perspective: { schoolId: string } | null }) {
  const [step, setStep] = useState<Step | null>(null);
  const items = list.data?.items ?? [];

  /** The learner's record at the school whose list this is (offices open no profile from here). */
  const profileId = (it: TransferItem): string | null => {
    if (!perspective) return null;
    if (it.fromSchoolId === perspective.schoolId) return it.fromStudentId;
    return it.status === 'completed' ? it.toStudentId : null;
  };

  const actions = (it: TransferItem) => {
    const a = it.actions;
    const open = profileId(it);
    return (
      <div className="transfer-actions">
        {a.approve ? (
          <Button type="primary" size="small" onClick={() => setStep({ kind: 'approve', item: it })} data-testid="transfer-approve">
            {t.approve}
          </Button>
        ) : null}
        {a.accept ? (
          <Button type="primary" size="small" onClick={() => setStep({ kind: 'accept', item: it })} data-testid="transfer-accept">
            {t.accept}
          </Button>
        ) : null}
        {a.decline ? (
          <Button danger size="small" onClick={() => setStep({ kind: 'decline', item: it })} data-testid="transfer-decline">
            {t.decline}
          </Button>
        ) : null}
        {a.cancel ? (
          <Button size="small" onClick={() => setStep({ kind: 'cancel', item: it })} data-testid="transfer-cancel">
            {t.cancel}
          </Button>
        ) : null}
        {open ? (
          <Button type="link" size="small" onClick={() => navigate(`/hoc-sinh/${open}`)}>
            {t.openProfile}
          </Button>
        ) : null}
      </div>
    );
  };

  const statusBlock = (it: TransferItem) => (
    <div>
      <Tag color={STATUS_COLOR[it.status]} data-testid="transfer-status">
        {t.statuses[it.status]}
      </Tag>
      {it.decisionReason ? <div className="transfer-reason">{t.reason(it.decisionReason)}</div> : null}
      {it.decidedAt && it.decidedByName ? <div className="list-desc">{t.decidedBy(it.decidedByName, fmtDateTime(it.decidedAt))}</div> : null}
    </div>
  );
  const learner = (it: TransferItem) => (
    <div>
      <div className="list-title">{it.fullName}</div>
      <div className="list-desc num">{[it.learnerId, t.born(fmtDate(it.dateOfBirth))].filter(Boolean).join(' · ')}</div>
    </div>
  );
  const schools = (it: TransferItem) => (
    <div className="transfer-schools">
      <div>
        <span className="transfer-label">{t.from}</span> {it.fromSchoolName}
      </div>
      <div>
        <span className="transfer-label">{t.to}</span> {it.toSchoolName}
      </div>
    </div>
  );
  const classes = (it: TransferItem) => t.classFromTo(it.fromClassName ?? vi.common.none, it.toClassName ?? t.classPending);
  const dates = (it: TransferItem) => (
    <div>
      <div>{t.effective(fmtDate(it.effectiveDate))}</div>
      <div className="list-desc">{`${t.kinds[it.kind]} · ${t.askedBy(it.createdByName ?? vi.common.none, fmtDateTime(it.createdAt))}`}</div>
      {it.note ? <div className="list-desc">{it.note}</div> : null}
    </div>
  );

  const columns: TableColumnsType<TransferItem> = [
    { title: t.student, key: 'learner', width: 190, render: (_v, it) => learner(it) },
    { title: t.schools, key: 'schools', width: 220, render: (_v, it) => schools(it) },
    { title: t.classes, key: 'classes', width: 110, render: (_v, it) => classes(it) },
    { title: t.dates, key: 'dates', width: 200, render: (_v, it) => dates(it) },
    { title: t.status, key: 'status', width: 170, render: (_v, it) => statusBlock(it) },
    { title: vi.common.actions, key: 'actions', render: (_v, it) => actions(it) },
  ];

  const total = list.data?.total ?? 0;
  return (
    <>
      {list.isError ? <QueryError error={list.error} onRetry={() => list.refetch()} /> : null}
      <ResponsiveList<TransferItem>
        data-testid="transfer-list"
        // Six columns need the width of a desktop with the menu open; below that, one card per transfer.
        tableFrom="xl"
        size="small"
        bordered
        rowKey="id"
        columns={columns}
        dataSource={items}
        loading={list.isFetching}
        locale={{ emptyText: <Empty description={t.empty} /> }}
        onRow={(it) => ({ 'data-testid': 'transfer-item', 'data-status': it.status }) as object}
        itemTestId="transfer-item"
        cardAttrs={(it) => ({ 'data-status': it.status, className: 'rlist-card transfer-card' })}
        card={(it) => (
          <span className="transfer-card-body">
            <span className="transfer-card-head">
              {learner(it)}
              <Tag color={STATUS_COLOR[it.status]}>{t.statuses[it.status]}</Tag>
            </span>
            {schools(it)}
            <span className="list-desc">{`${vi.common.class}: ${classes(it)}`}</span>
            {dates(it)}
            {it.decisionReason ? <span className="transfer-reason">{t.reason(it.decisionReason)}</span> : null}
            {it.decidedAt && it.decidedByName ? <span className="list-desc">{t.decidedBy(it.decidedByName, fmtDateTime(it.decidedAt))}</span> : null}
          </span>
        )}
        cardActions={actions}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total,
          hideOnSinglePage: true,
          showSizeChanger: false,
          size: 'small',
          onChange: (p) => setQuery({ trang: p > 1 ? p : undefined }),
        }}
      />
      {step ? <TransferStepModal key={`${step.kind}:${step.item.id}`} step={step} onClose={() => setStep(null)} /> : null}
    </>
  );
}
