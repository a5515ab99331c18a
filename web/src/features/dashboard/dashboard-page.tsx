import { useQuery } from '@tanstack/react-query';
import { Card, Col, Row, Skeleton, Statistic, Table, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import type { Dashboard, UnitSchools } from '../../api/types';
import { BarList } from '../../components/bar-list';
import { fmtDate, fmtNum, fmtPct, yearLabel } from '../../components/format';
import { PageHeader } from '../../components/page-header';
import { ResponsiveList } from '../../components/responsive-list';
import { QueryError } from '../../components/query-error';
import { VnDatePicker } from '../../components/lazy-date-picker';
import { vi } from '../../i18n/vi';
import { viActivation } from '../../i18n/vi-activation';
import { navigate } from '../../router';
import { useSession } from '../auth/session';
import { RequireSchool } from '../layout/require-school';
import { SchoolPicker } from '../layout/school-picker';
import { isoToday } from '../../../../domain/index';

const t = vi.dashboard;

export function DashboardPage() {
  const s = useSession();
  // Offices without a chosen school get their unit's overview (schools, students, classes) first.
  if (!s.school && s.isOffice && s.homeUnitId) return <OfficeOverview unitId={s.homeUnitId} unitName={s.primaryUnitName ?? ''} />;
  return <RequireSchool>{(schoolId) => <SchoolDashboard schoolId={schoolId} />}</RequireSchool>;
}

type AdoptionRow = { familiesActivated: number; familiesActive7d: number; announcementsSent: number; announcementReached: number; announcementRead: number };

/** "3 thông báo trong 30 ngày, 64% gia đình đã đọc": a share for reading, not a figure of record. */
function announcementLine(r: AdoptionRow): string {
  const percent = r.announcementReached > 0 ? Math.round((r.announcementRead * 100) / r.announcementReached) : null;
  return viActivation.office.announcementsLine(fmtNum(r.announcementsSent), percent);
}

function OfficeOverview({ unitId, unitName }: { unitId: string; unitName: string }) {
  const s = useSession();
  const [asOf, setAsOf] = useState<string>(isoToday());
  const q = useQuery({
    queryKey: ['org-unit-schools', unitId, asOf],
    queryFn: ({ signal }) => api.get<UnitSchools>(`/org-units/${unitId}/schools`, { asOf }, signal),
  });
  const d = q.data;
  return (
    <>
      <PageHeader
        title={t.title}
        subtitle={`${unitName} · ${vi.common.asOf.toLowerCase()} ${fmtDate(asOf)}`}
        extra={
          <>
            <VnDatePicker aria-label={vi.common.asOf} value={asOf} allowClear={false} onChange={(v) => setAsOf(v ?? isoToday())} prefix={<span style={{ color: '#667085' }}>{vi.common.asOf}:</span>} />
            <div style={{ minWidth: 260 }}>
              <SchoolPicker block />
            </div>
          </>
        }
      />
      {q.isError ? <QueryError error={q.error} onRetry={() => q.refetch()} /> : null}
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        {[
          { k: 'schools', title: t.schools, v: d?.totals.schools },
          { k: 'students', title: t.students, v: d?.totals.students },
          { k: 'classes', title: t.classes, v: d?.totals.classes },
          { k: 'activated', title: viActivation.office.activated, v: d?.totals.familiesActivated },
          { k: 'active7', title: viActivation.office.active7, v: d?.totals.familiesActive7d },
        ].map((x) => (
          <Col xs={12} sm={6} key={x.k}>
            <Card size="small">
              <Statistic title={x.title} value={x.v ?? 0} loading={q.isLoading} formatter={(v) => fmtNum(Number(v))} />
            </Card>
          </Col>
        ))}
      </Row>
      <Card size="small" title={vi.org.schools}>
        {/* Under the title, not beside it: on a phone the hint beside it cut the title to "Các …". */}
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          {t.pickSchoolHint}
        </Typography.Paragraph>
        <ResponsiveList
          size="small"
          rowKey="id"
          loading={q.isLoading}
          dataSource={d?.schools ?? []}
          tableFrom="lg"
          pagination={{ defaultPageSize: 50, hideOnSinglePage: true, size: 'small' }}
          onOpen={(r) => s.setSchool({ id: r.id, name: r.name })}
          card={(r) => (
            <>
              <span className="card-title">{r.name}</span>
              <span className="card-meta">
                <span>{r.schoolLevels.map((l) => vi.schoolLevels[l] ?? l).join(', ')}</span>
                <span className="num">{`${fmtNum(r.students)} ${vi.org.students.toLowerCase()}`}</span>
                <span className="num">{`${fmtNum(r.classes)} ${vi.org.classes.toLowerCase()}`}</span>
                <span className="num">{viActivation.office.card(fmtNum(r.familiesActivated))}</span>
                <span className="num">{viActivation.office.activeLine(fmtNum(r.familiesActive7d))}</span>
                <span>{announcementLine(r)}</span>
              </span>
            </>
          )}
          columns={[
            { title: vi.org.schoolName, dataIndex: 'name', render: (v: string) => <span className="link-text">{v}</span> },
            { title: vi.org.levels, dataIndex: 'schoolLevels', width: 120, render: (v: string[]) => v.map((l) => vi.schoolLevels[l] ?? l).join(', ') },
            { title: vi.org.ownership, dataIndex: 'ownership', width: 100, render: (v: string | null) => (v ? vi.ownership[v] : vi.common.none) },
            { title: vi.org.parent, dataIndex: 'parentName', width: 200, render: (v: string | null) => v ?? vi.common.none },
            { title: vi.org.students, dataIndex: 'students', width: 90, align: 'right', render: (n: number) => <span className="num">{fmtNum(n)}</span> },
            { title: vi.org.classes, dataIndex: 'classes', width: 70, align: 'right', render: (n: number) => <span className="num">{fmtNum(n)}</span> },
            {
              title: viActivation.office.contactBook,
              key: 'contactBook',
              width: 200,
              render: (_: unknown, r) => (
                <>
                  <div className="num">{viActivation.office.card(fmtNum(r.familiesActivated))}</div>
                  <div className="num">{viActivation.office.activeLine(fmtNum(r.familiesActive7d))}</div>
                  <div>{announcementLine(r)}</div>
                </>
              ),
            },
          ]}
        />
      </Card>
    </>
  );
}

function SchoolDashboard({ schoolId }: { schoolId: string }) {
  const [asOf, setAsOf] = useState<string>(isoToday());
  const q = useQuery({
    queryKey: ['dashboard', schoolId, asOf],
    queryFn: ({ signal }) => api.get<Dashboard>(`/schools/${schoolId}/dashboard`, { asOf }, signal),
  });
  const d = q.data;

  const stats: { key: string; title: string; value: number | undefined; suffix?: string; onClick?: () => void }[] = [
    { key: 'students', title: t.students, value: d?.totals.students, onClick: () => navigate('/hoc-sinh') },
    {
      key: 'female',
      title: t.female,
      value: d?.totals.female,
      suffix: d ? `(${fmtPct(d.totals.female, d.totals.students)}%)` : undefined,
    },
    {
      key: 'minority',
      title: t.minority,
      value: d?.totals.ethnicMinority,
      suffix: d ? `(${fmtPct(d.totals.ethnicMinority, d.totals.students)}%)` : undefined,
    },
    // A teacher's figures are their classes' (the server's view): the class list opens on the same classes.
    { key: 'classes', title: d?.view === 'own_classes' ? vi.teacherScope.dashboardClasses : t.classes, value: d?.totals.classes, onClick: () => navigate('/lop-hoc') },
    { key: 'staff', title: t.staff, value: d?.totals.staff, onClick: () => navigate('/can-bo') },
  ];

  const male = d?.bySex.find((x) => x.sex === 'male')?.students ?? 0;
  const female = d?.bySex.find((x) => x.sex === 'female')?.students ?? 0;

  return (
    <>
      <PageHeader
        title={t.title}
        subtitle={
          d
            ? `${d.schoolName} · ${vi.common.schoolYear} ${yearLabel(d.year)} · ${vi.common.asOf.toLowerCase()} ${fmtDate(d.asOf)}` +
              (d.view === 'own_classes' ? ` · ${vi.teacherScope.dashboard}` : '')
            : undefined
        }
        extra={
          <VnDatePicker
            aria-label={vi.common.asOf}
            value={asOf}
            allowClear={false}
            onChange={(v) => setAsOf(v ?? isoToday())}
            prefix={<span style={{ color: '#667085' }}>{vi.common.asOf}:</span>}
          />
        }
      />
      {q.isError ? <QueryError error={q.error} onRetry={() => q.refetch()} /> : null}
      <Row gutter={[12, 12]}>
        {stats.map((s) => (
          <Col key={s.key} xs={12} sm={8} xl={{ flex: '20%' }}>
            <Card size="small" hoverable={!!s.onClick} onClick={s.onClick} style={{ height: '100%' }} data-testid={`stat-${s.key}`}>
              <Statistic
                title={s.title}
                value={s.value ?? 0}
                loading={q.isLoading}
                formatter={(v) => fmtNum(Number(v))}
                suffix={s.suffix ? <span style={{ fontSize: 13, color: '#667085' }}>{s.suffix}</span> : undefined}
              />
            </Card>
          </Col>
        ))}
      </Row>
      {q.isLoading ? (
        <Skeleton active style={{ marginTop: 24 }} />
      ) : d ? (
        <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
          <Col xs={24} lg={12}>
            <Card
              title={t.byGrade}
              size="small"
              extra={
                <span className="legend">
                  <span>
                    <i style={{ background: '#1677ff' }} />
                    {t.legendMale}
                  </span>
                  <span>
                    <i style={{ background: '#eb2f96' }} />
                    {t.legendFemale}
                  </span>
                </span>
              }
            >
              <BarList
                partLabel={t.legendFemale.toLowerCase()}
                bars={d.byGrade.map((g) => ({
                  key: String(g.grade),
                  label: vi.common.gradeN(g.grade),
                  value: g.students,
                  part: g.female,
                  hint: t.classesN(fmtNum(g.classes)),
                }))}
              />
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card title={t.bySex} size="small" style={{ marginBottom: 12 }}>
              <BarList
                bars={[
                  { key: 'male', label: t.legendMale, value: male, hint: `${fmtPct(male, male + female)}%` },
                  { key: 'female', label: t.legendFemale, value: female, hint: `${fmtPct(female, male + female)}%` },
                ]}
                color="#13a8a8"
              />
            </Card>
            <Card title={t.byEthnicity} size="small">
              <BarList
                color="#fa8c16"
                bars={d.byEthnicity.map((e) => ({
                  key: e.code,
                  label: e.name,
                  value: e.students,
                  hint: `${fmtPct(e.students, d.totals.students)}%`,
                }))}
              />
            </Card>
          </Col>
          <Col xs={24}>
            <Card title={t.byClass} size="small">
              <Table
                size="small"
                rowKey="classId"
                pagination={false}
                scroll={{ x: true }}
                dataSource={d.byClass}
                className="clickable-rows"
                onRow={(r) => ({ onClick: () => navigate(`/hoc-sinh?lop=${r.classId}`) })}
                columns={[
                  { title: vi.classes.name, dataIndex: 'className', width: 90 },
                  { title: vi.classes.grade, dataIndex: 'grade', width: 70, render: (g: number) => g },
                  {
                    title: vi.classes.size,
                    dataIndex: 'students',
                    render: (_: number, r) => {
                      const max = Math.max(1, ...d.byClass.map((c) => c.students));
                      return (
                        <div className="bar-row" style={{ gridTemplateColumns: '1fr auto', minWidth: 180 }}>
                          <div className="bar-track">
                            <div className="bar-fill" style={{ width: `${(r.students / max) * 100}%`, background: '#1677ff' }}>
                              <div className="bar-part" style={{ width: `${r.students ? (r.female / r.students) * 100 : 0}%`, background: '#eb2f96' }} />
                            </div>
                          </div>
                          <span className="num">
                            {fmtNum(r.students)} <span className="bar-hint">({fmtNum(r.female)} {t.legendFemale.toLowerCase()})</span>
                          </span>
                        </div>
                      );
                    },
                  },
                ]}
              />
            </Card>
          </Col>
        </Row>
      ) : null}
    </>
  );
}
