import { DownloadOutlined, FilterOutlined, PlusOutlined, PrinterOutlined, SearchOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { App, Badge, Button, Checkbox, Grid, Input, Result, Select } from 'antd';
import type { TableColumnsType } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { api, downloadFile, errorText } from '../../api/client';
import { useCodeList } from '../../api/hooks';
import type { StudentList, StudentListItem } from '../../api/types';
import { fmtDate, fmtNum } from '../../components/format';
import { PageHeader } from '../../components/page-header';
import { ResponsiveList } from '../../components/responsive-list';
import { QueryError } from '../../components/query-error';
import { SchoolYearSelect, useDefaultYear } from '../../components/school-year-select';
import { foldSearch } from '../../components/select-search';
import { useDebounced } from '../../components/use-debounced';
import { useWindowHeight } from '../../components/use-window-height';
import { vi } from '../../i18n/vi';
import { Link, navigate, setQuery, useRoute } from '../../router';
import { useSession } from '../auth/session';
import { RequireSchool } from '../layout/require-school';
import { NotFound } from '../layout/status-pages';
import { statusColor } from './status';
import { StudentFormModal, useClassOptions } from './student-forms';

const t = vi.students;
const PAGE_SIZES = [50, 100, 200, 500];

export function StudentListPage() {
  return <RequireSchool>{(schoolId) => <StudentList schoolId={schoolId} key={schoolId} />}</RequireSchool>;
}

function StudentList({ schoolId }: { schoolId: string }) {
  const { query } = useRoute();
  const session = useSession();
  const { message } = App.useApp();
  const height = useWindowHeight();
  const screens = Grid.useBreakpoint();
  const phone = !screens.sm;
  const [filtersOpen, setFiltersOpen] = useState(false);
  const defaultYear = useDefaultYear(schoolId);

  // Filters live in the URL so "back" from a profile returns to the same list.
  const year = query.get('nam') ? Number(query.get('nam')) : defaultYear;
  const grade = query.get('khoi') ? Number(query.get('khoi')) : undefined;
  const classId = query.get('lop') ?? undefined;
  const sex = query.get('gt') ?? undefined;
  const ethnicityCode = query.get('dt') ?? undefined;
  const statusCode = query.get('tt') ?? undefined;
  const includeLeft = query.get('roi') === '1';
  const page = Number(query.get('trang') ?? 1) || 1;
  const pageSize = PAGE_SIZES.includes(Number(query.get('co'))) ? Number(query.get('co')) : 100;

  const [text, setText] = useState(query.get('q') ?? '');
  const q = useDebounced(text.trim(), 250);
  useEffect(() => {
    if ((query.get('q') ?? '') !== q) setQuery({ q, trang: undefined });
  }, [q, query]);

  const ethnicities = useCodeList('DM_DAN_TOC');
  const statuses = useCodeList('DM_TRANG_THAI_HOC_SINH');
  const { classes, loading: classesLoading } = useClassOptions(schoolId, year);
  const grades = useMemo(() => [...new Set(classes.map((c) => c.grade))].sort((a, b) => a - b), [classes]);
  // A teacher's own classes (the server marks each class); the filter offers only those.
  const teacherView = classes.some((c) => c.access !== 'full');
  const classOptions = classes
    // …and the linked class, so the picker names it instead of showing its id.
    .filter((c) => (grade === undefined || c.grade === grade) && (c.access !== 'none' || c.id === classId))
    .map((c) => ({ value: c.id, label: c.name }));
  // A link with a class (?lop=) waits for the year's classes: an unknown class is "not found", a
  // class the teacher does not teach is explained, neither asks for a list that cannot be right.
  const linkedClass = classId ? classes.find((c) => c.id === classId) : undefined;
  const classState: 'none' | 'pending' | 'missing' | 'not_yours' | 'ok' = !classId
    ? 'none'
    : classesLoading
      ? 'pending'
      : !linkedClass
        ? 'missing'
        : linkedClass.access === 'none'
          ? 'not_yours'
          : 'ok';

  const filters = { q: q || undefined, year: year ?? undefined, grade, classId, sex, ethnicityCode, statusCode, includeLeft: includeLeft || undefined };
  const list = useQuery({
    queryKey: ['students', schoolId, filters, page, pageSize],
    queryFn: ({ signal }) => api.get<StudentList>(`/schools/${schoolId}/students`, { ...filters, page, pageSize }, signal),
    placeholderData: keepPreviousData,
    enabled: year !== null && (classState === 'none' || classState === 'ok'),
  });

  const [adding, setAdding] = useState(false);
  const [exporting, setExporting] = useState<'xlsx' | 'pdf' | null>(null);

  const exportList = async (kind: 'xlsx' | 'pdf') => {
    setExporting(kind);
    try {
      await downloadFile(`/schools/${schoolId}/students/export.${kind}`, filters, `hoc-sinh.${kind}`);
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setExporting(null);
    }
  };

  const columns: TableColumnsType<StudentListItem> = [
    { title: t.stt, key: 'stt', width: 56, align: 'right', render: (_v, _r, i) => <span className="num">{(page - 1) * pageSize + i + 1}</span> },
    {
      title: t.learnerId,
      dataIndex: 'learnerId',
      width: 120,
      render: (v: string | null, r) => <span className="num">{v ?? (r.tempCode ? <span title={t.tempCode}>{r.tempCode}</span> : vi.common.none)}</span>,
    },
    {
      title: t.fullName,
      dataIndex: 'fullName',
      render: (v: string, r) => (
        <Link to={`/hoc-sinh/${r.id}`} data-testid="student-row" onClick={(e) => e.stopPropagation()}>
          {v}
        </Link>
      ),
    },
    { title: t.dateOfBirth, dataIndex: 'dateOfBirth', width: 110, render: (v: string) => fmtDate(v) },
    { title: t.sex, dataIndex: 'sex', width: 80, render: (v: string) => vi.common.sex[v] ?? v },
    { title: t.ethnicity, dataIndex: 'ethnicityName', width: 110, render: (v: string | null, r) => v ?? r.ethnicityCode },
    { title: t.class, dataIndex: 'className', width: 72, render: (v: string | null) => v ?? vi.common.none },
    {
      title: t.status,
      dataIndex: 'statusName',
      width: 150,
      // A plain span, not antd Tag: Tag's CSS-in-JS hook per cell is measurable while scrolling 500 rows.
      render: (v: string | null, r) => <span className={`pill pill-${statusColor(r.statusCode)}`}>{v ?? r.statusCode}</span>,
    },
  ];

  const activeClass = linkedClass;
  const activeFilterCount = [grade !== undefined, classId, sex, ethnicityCode, statusCode, includeLeft].filter(Boolean).length;
  const hasFilters = !!q || activeFilterCount > 0;

  if (classState === 'missing') return <NotFound message={vi.access.notFoundClass} backTo="/hoc-sinh" />;

  return (
    <>
      <PageHeader
        title={t.title}
        subtitle={
          list.data && classState !== 'not_yours'
            ? (teacherView ? `${fmtNum(list.data.total)} ${vi.teacherScope.students}` : t.count(fmtNum(list.data.total))) +
              (activeClass ? ` · ${t.classFilterActive(activeClass.name)}` : '')
            : undefined
        }
        extra={
          <>
            {session.canWrite ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
                {t.add}
              </Button>
            ) : null}
            <Button icon={<DownloadOutlined />} onClick={() => void exportList('xlsx')} loading={exporting === 'xlsx'}>
              {vi.common.exportExcel}
            </Button>
            <Button icon={<PrinterOutlined />} onClick={() => void exportList('pdf')} loading={exporting === 'pdf'} data-testid="student-print">
              {t.printList}
            </Button>
          </>
        }
      />
      <div className="filters">
        <Input
          className="f-grow"
          allowClear
          prefix={<SearchOutlined />}
          placeholder={t.search}
          value={text}
          onChange={(e) => setText(e.target.value)}
          data-testid="student-search"
          aria-label={vi.common.search}
          title={t.searchHint}
        />
        {phone ? (
          <Button icon={<FilterOutlined />} onClick={() => setFiltersOpen((o) => !o)} aria-expanded={filtersOpen}>
            {t.filters}
            {activeFilterCount ? <Badge count={activeFilterCount} size="small" color="#0b6bcb" /> : null}
          </Button>
        ) : null}
        {!phone || filtersOpen ? (
          <>
        <SchoolYearSelect schoolId={schoolId} value={year} onChange={(y) => setQuery({ nam: y, lop: undefined, trang: undefined })} className="f-200" />
        <Select
          className="f-160"
          allowClear
          placeholder={t.filterGrade}
          aria-label={t.filterGrade}
          value={grade}
          options={grades.map((g) => ({ value: g, label: vi.common.gradeN(g) }))}
          onChange={(g?: number) => setQuery({ khoi: g, lop: undefined, trang: undefined })}
        />
        <Select
          className="f-160"
          allowClear
          showSearch={foldSearch}
          loading={classesLoading}
          placeholder={t.filterClass}
          aria-label={t.filterClass}
          value={classId}
          options={classOptions}
          onChange={(c?: string) => setQuery({ lop: c, trang: undefined })}
        />
        <Select
          className="f-160"
          allowClear
          placeholder={t.filterSex}
          aria-label={t.filterSex}
          value={sex}
          options={[
            { value: 'male', label: vi.common.sex.male },
            { value: 'female', label: vi.common.sex.female },
          ]}
          onChange={(v?: string) => setQuery({ gt: v, trang: undefined })}
        />
        <Select
          className="f-160"
          allowClear
          showSearch={foldSearch}
          placeholder={t.filterEthnicity}
          aria-label={t.filterEthnicity}
          value={ethnicityCode}
          loading={ethnicities.isLoading}
          options={(ethnicities.data ?? []).map((e) => ({ value: e.code, label: e.name }))}
          onChange={(v?: string) => setQuery({ dt: v, trang: undefined })}
          popupMatchSelectWidth={false}
        />
        <Select
          className="f-200"
          allowClear
          placeholder={t.filterStatus}
          aria-label={t.filterStatus}
          value={statusCode}
          loading={statuses.isLoading}
          options={(statuses.data ?? []).map((e) => ({ value: e.code, label: e.name }))}
          onChange={(v?: string) => setQuery({ tt: v, trang: undefined })}
          popupMatchSelectWidth={false}
        />
        <Checkbox checked={includeLeft} onChange={(e) => setQuery({ roi: e.target.checked ? '1' : undefined, trang: undefined })}>
          {t.includeLeft}
        </Checkbox>
        {hasFilters ? (
          <Button
            type="link"
            onClick={() => {
              setText('');
              setQuery({ q: undefined, khoi: undefined, lop: undefined, gt: undefined, dt: undefined, tt: undefined, roi: undefined, trang: undefined });
            }}
          >
            {t.clearFilters}
          </Button>
        ) : null}
          </>
        ) : null}
      </div>
      {list.isError ? <QueryError error={list.error} onRetry={() => list.refetch()} /> : null}
      {classState === 'not_yours' && linkedClass ? (
        <Result
          status="info"
          data-testid="class-not-yours"
          title={vi.teacherScope.classNotYoursTitle(linkedClass.name)}
          subTitle={vi.teacherScope.classNotYours}
          extra={
            <Button type="primary" onClick={() => setQuery({ lop: undefined, trang: undefined })}>
              {vi.teacherScope.showMine}
            </Button>
          }
        />
      ) : (
      <ResponsiveList<StudentListItem>
        data-testid="student-table"
        virtual
        size="small"
        bordered
        rowKey="id"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching && !list.isPlaceholderData ? true : list.isFetching ? { delay: 300 } : false}
        // The table from 1200 px (the menu takes 264 of them): its columns fit without sideways
        // scrolling; below that, one card per learner. Only the rows scroll, under a header that stays.
        tableFrom="xl"
        scroll={{ x: 860, y: Math.max(320, height - 330) }}
        onOpen={(r) => navigate(`/hoc-sinh/${r.id}`)}
        itemTestId="student-row"
        card={(r) => (
          <>
            <span className="card-title">{r.fullName}</span>
            <span className="card-meta">
              <span>{r.className ?? vi.common.none}</span>
              <span className="num">{fmtDate(r.dateOfBirth)}</span>
              <span className={`pill pill-${statusColor(r.statusCode)}`}>{r.statusName ?? r.statusCode}</span>
            </span>
          </>
        )}
        pagination={{
          current: page,
          pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: PAGE_SIZES,
          showTotal: (total, range) => vi.common.totalItems(fmtNum(range[0]), fmtNum(range[1]), fmtNum(total)),
          onChange: (p, ps) => setQuery({ trang: ps !== pageSize ? undefined : p > 1 ? p : undefined, co: ps !== 100 ? ps : undefined }),
          size: 'small',
        }}
      />
      )}
      <StudentFormModal schoolId={schoolId} open={adding} onClose={() => setAdding(false)} onSaved={(id) => id && navigate(`/hoc-sinh/${id}`)} />
    </>
  );
}
