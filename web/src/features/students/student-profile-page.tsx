import { ArrowLeftOutlined, DownOutlined, DownloadOutlined, EditOutlined, ExportOutlined, FilePdfOutlined, SwapOutlined, SyncOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Dropdown, Empty, Row, Skeleton, Tag, Typography } from 'antd';
import { lazy, type ReactNode, Suspense, useState } from 'react';
import { ApiError, api, downloadFile, errorText } from '../../api/client';
import { useCodeList } from '../../api/hooks';
import type { StudentEvent, StudentProfile } from '../../api/types';
import { fmtDate, yearLabel } from '../../components/format';
import { QueryError } from '../../components/query-error';
import { SimpleList } from '../../components/simple-list';
import { vi } from '../../i18n/vi';
import { navigate } from '../../router';
import { useSession } from '../auth/session';
import { NotFound } from '../layout/status-pages';
import { ConsentCard } from '../privacy/consent-card';
import { LegacyResultsCard } from './legacy-results-card';
import type { ProfileDialog } from './student-profile-actions';
import { statusColor } from './status';
import { FIELD_LABELS as L } from '../../../../contracts/field-labels';

// The profile is what a parent reads (issue 8: the parent area within 300 KB): it draws with plain
// lists, and what only staff use loads on its own, only for them: the dialogs that change the
// record (forms, selects, date pickers) and the principal's access log (a table).
const StudentProfileDialogs = lazy(async () => ({ default: (await import('./student-profile-actions')).StudentProfileDialogs }));
const AccessLogCard = lazy(async () => ({ default: (await import('../privacy/access-log-card')).AccessLogCard }));

const t = vi.profile;
const s = vi.students;

export function StudentProfilePage({ params }: { params: Record<string, string> }) {
  const session = useSession();
  if (!session.school) return <Empty description={vi.common.pickSchoolFirst} />;
  return (
    <StudentProfileView
      schoolId={session.school.id}
      studentId={params.id}
      canWrite={session.canWrite}
      listPath="/hoc-sinh"
      notFoundText={vi.access.notFoundStudent}
      onBack={() => (window.history.length > 1 ? window.history.back() : navigate('/hoc-sinh'))}
    />
  );
}

const EVENT_COLORS: Record<string, string> = {
  admitted: 'green',
  transfer_in: 'green',
  class_transfer: 'blue',
  transfer_out: 'red',
  status_change: 'orange',
  promoted: 'blue',
  imported: 'gray',
};

function eventText(e: StudentEvent, statusName: (code: string) => string): string {
  const parts: string[] = [];
  if (e.fromClassName && e.toClassName) parts.push(t.fromTo(e.fromClassName, e.toClassName));
  else if (e.toClassName) parts.push(t.toClassName(e.toClassName));
  if (e.statusCode && e.kind === 'status_change') parts.push(statusName(e.statusCode));
  if (e.otherSchoolName) parts.push(e.kind === 'transfer_out' ? t.toSchool(e.otherSchoolName) : e.kind === 'transfer_in' ? t.fromSchool(e.otherSchoolName) : t.otherSchool(e.otherSchoolName));
  if (e.note) parts.push(e.note);
  return parts.join(' · ');
}

export function StudentProfileView({
  schoolId,
  studentId,
  canWrite,
  onBack,
  listPath,
  notFoundText,
  family,
  recordHidden = false,
}: {
  schoolId: string;
  studentId: string;
  canWrite: boolean;
  onBack?: () => void;
  /** Where "Quay lại danh sách" leads when the student is not there (or not the caller's). */
  listPath: string;
  notFoundText: string;
  /** What the family's view shows between the child's name and the record (children-page.tsx: published results and attendance, a preschool child's development and measurements). */
  family?: ReactNode;
  /** The family portal shows the record's cards on its "Hồ sơ" tab only (features/parent/portal.tsx). */
  recordHidden?: boolean;
}) {
  const q = useQuery({
    queryKey: ['student', schoolId, studentId],
    queryFn: ({ signal }) => api.get<StudentProfile>(`/schools/${schoolId}/students/${studentId}`, undefined, signal),
  });
  const statuses = useCodeList('DM_TRANG_THAI_HOC_SINH');
  const statusName = (code: string) => statuses.data?.find((x) => x.code === code)?.name ?? code;
  const [dialog, setDialog] = useState<ProfileDialog>(null);

  const p = q.data;
  const manage = canWrite && !!p?.isCurrent;
  const session = useSession();
  const { message } = App.useApp();
  // The server has the last word (principal/admin of the school, or the child's parent); these only hide buttons.
  const privacyOfficer = session.has(['system_admin', 'principal']);
  // In the family portal the export sits with the record (its "Hồ sơ" tab), not above every tab.
  const canExport = (privacyOfficer || session.has(['parent'])) && !recordHidden;
  // Two forms of the same data (ND 13/2023 right of access): a document people read and print, and
  // the complete machine-readable file for moving the data elsewhere.
  const exportData = (form: 'pdf' | 'json') =>
    downloadFile(`/schools/${schoolId}/students/${studentId}/personal-data${form === 'pdf' ? '.pdf' : ''}`, undefined, `du-lieu-ca-nhan.${form}`).catch((e) =>
      message.error(errorText(e)),
    );
  const whose = vi.privacy.whose(session.isFamily);
  // Long, explicit labels: they wrap inside the menu instead of widening it past a phone's screen.
  const exportLabel = (text: string) => <span style={{ display: 'inline-block', whiteSpace: 'normal', maxWidth: 'min(320px, 80vw)' }}>{text}</span>;

  // A stale or foreign link: the one "not found" page with the way back, nothing of the profile's shell.
  if (q.error instanceof ApiError && q.error.status === 404) return <NotFound message={notFoundText} backTo={listPath} />;

  return (
    <div data-testid="student-profile">
      {onBack ? (
        <Button type="link" icon={<ArrowLeftOutlined />} onClick={onBack} style={{ paddingInline: 0, marginBottom: 8 }}>
          {vi.common.back}
        </Button>
      ) : null}
      {q.isError ? <QueryError error={q.error} onRetry={() => q.refetch()} /> : null}
      {q.isLoading ? <Skeleton active /> : null}
      {p ? (
        <>
          <Card style={{ marginBottom: 12 }}>
            <Row gutter={[12, 12]} align="middle" justify="space-between">
              <Col flex="auto" style={{ minWidth: 0 }}>
                <Typography.Title level={3} style={{ margin: 0 }}>
                  {p.fullName}
                </Typography.Title>
                <div style={{ marginTop: 6, display: 'flex', gap: 6, flexWrap: 'wrap' }}>
                  <Tag color={statusColor(p.statusCode)}>{p.statusName ?? statusName(p.statusCode)}</Tag>
                  {p.className ? <Tag color="blue">{`${vi.common.class} ${p.className}`}</Tag> : null}
                  <Tag>{p.schoolName}</Tag>
                </div>
              </Col>
              {manage || canExport ? (
                <Col>
                  <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
                    {canExport ? (
                      <Dropdown
                        trigger={['click']}
                        menu={{
                          items: [
                            { key: 'pdf', icon: <FilePdfOutlined />, label: exportLabel(vi.privacy.exportPdf(whose)), 'data-testid': 'export-personal-data-pdf' },
                            { key: 'json', icon: <DownloadOutlined />, label: exportLabel(vi.privacy.exportJson(whose)), 'data-testid': 'export-personal-data-json' },
                          ],
                          onClick: ({ key }) => void exportData(key === 'pdf' ? 'pdf' : 'json'),
                        }}
                      >
                        <Button icon={<DownloadOutlined />} data-testid="export-personal-data">
                          {vi.privacy.exportData} <DownOutlined />
                        </Button>
                      </Dropdown>
                    ) : null}
                    {manage ? (
                      <>
                        <Button icon={<EditOutlined />} onClick={() => setDialog('edit')}>
                          {vi.common.edit}
                        </Button>
                        <Button icon={<SwapOutlined />} onClick={() => setDialog('move')}>
                          {t.transferClass}
                        </Button>
                        <Button icon={<SyncOutlined />} onClick={() => setDialog('status')}>
                          {t.changeStatus}
                        </Button>
                        {!p.pendingTransfer ? (
                          <Button icon={<ExportOutlined />} onClick={() => setDialog('transfer')} data-testid="transfer-issue-open">
                            {t.transferSchool}
                          </Button>
                        ) : null}
                      </>
                    ) : null}
                  </div>
                </Col>
              ) : null}
            </Row>
            {!p.isCurrent ? <Alert type="info" showIcon title={t.notCurrent} style={{ marginTop: 12 }} /> : null}
            {p.pendingTransfer ? (
              <Alert
                type="warning"
                showIcon
                style={{ marginTop: 12 }}
                data-testid="profile-pending-transfer"
                title={t.pendingTransfer(p.pendingTransfer.toSchoolName, fmtDate(p.pendingTransfer.effectiveDate))}
                action={
                  <Button size="small" type="link" onClick={() => navigate('/chuyen-truong?huong=di')}>
                    {t.openTransfers}
                  </Button>
                }
              />
            ) : null}
          </Card>
          {family}
          {recordHidden ? null : (
          <Row gutter={[12, 12]}>
            <Col xs={24} xl={14}>
              <Card title={t.info} size="small" style={{ marginBottom: 12 }}>
                <Facts
                  items={[
                    { key: 'lid', label: s.learnerId, children: <span className="num nowrap">{p.learnerId ?? vi.common.none}</span> },
                    ...(p.tempCode ? [{ key: 'tmp', label: s.tempCode, children: p.tempCode }] : []),
                    { key: 'cid', label: s.citizenId, children: <span className="num nowrap">{p.citizenId ?? vi.common.none}</span> },
                    { key: 'sdb', label: L.registerNumber, children: <span className="num nowrap">{p.registerNumber ?? vi.common.none}</span> },
                    { key: 'name', label: s.fullName, children: p.fullName },
                    { key: 'dob', label: s.dateOfBirth, children: fmtDate(p.dateOfBirth) },
                    { key: 'sex', label: s.sex, children: vi.common.sex[p.sex] ?? p.sex },
                    { key: 'eth', label: s.ethnicity, children: p.ethnicityName ?? p.ethnicityCode },
                    { key: 'rel', label: s.religion, children: p.religionCode ?? vi.common.none },
                    { key: 'bp', label: s.birthplace, children: p.birthplace ?? vi.common.none },
                    { key: 'addr', label: s.address, children: p.address ?? vi.common.none },
                    { key: 'cls', label: s.class, children: p.className ?? vi.common.none },
                    { key: 'sch', label: s.school, children: p.schoolName },
                    { key: 'st', label: s.status, children: `${p.statusName ?? statusName(p.statusCode)} (${s.statusDate.toLowerCase()} ${fmtDate(p.statusDate)})` },
                  ]}
                />
              </Card>
              <Card title={s.guardians} size="small" style={{ marginBottom: 12 }}>
                {p.guardians.length === 0 ? (
                  <Typography.Text type="secondary">{t.noGuardians}</Typography.Text>
                ) : (
                  <SimpleList
                    items={p.guardians}
                    itemKey={(g) => g.id}
                    render={(g) => (
                      <>
                        <div className="list-title">{`${g.fullName} (${vi.relations[g.relation] ?? g.relation})`}</div>
                        <div className="list-desc">
                          {[
                            g.phone ? <a key="p" href={`tel:${g.phone}`}>{g.phone}</a> : null,
                            g.email ? <a key="e" href={`mailto:${g.email}`}>{g.email}</a> : null,
                            g.occupation ? <span key="o">{g.occupation}</span> : null,
                            g.birthYear ? <span key="b">{`${s.birthYear} ${g.birthYear}`}</span> : null,
                          ]
                            .filter(Boolean)
                            .flatMap((x, i) => (i ? [<span key={`s${i}`}> · </span>, x] : [x]))}
                        </div>
                      </>
                    )}
                  />
                )}
              </Card>
              <LegacyResultsCard schoolId={schoolId} studentId={studentId} />
              <Card title={t.enrolments} size="small" style={{ marginBottom: 12 }}>
                {p.enrolments.length === 0 ? (
                  <Typography.Text type="secondary">{vi.common.none}</Typography.Text>
                ) : (
                  <ul className="plain-rows" data-testid="profile-enrolments">
                    {p.enrolments.map((r) => (
                      <li key={`${r.year}-${r.className}-${r.startDate}`}>
                        <span className="card-title">{`${t.year} ${yearLabel(r.year)} · ${s.class} ${r.className}`}</span>
                        <span className="card-meta">
                          <span>{r.schoolName}</span>
                          <span className="num">{r.endDate ? `${fmtDate(r.startDate)} – ${fmtDate(r.endDate)}` : `${t.start} ${fmtDate(r.startDate)}`}</span>
                        </span>
                      </li>
                    ))}
                  </ul>
                )}
              </Card>
            </Col>
            <Col xs={24} xl={10}>
              <ConsentCard schoolId={schoolId} student={p} />
              <Card title={t.events} size="small">
                {p.history.length === 0 ? (
                  <Typography.Text type="secondary">{t.noEvents}</Typography.Text>
                ) : (
                  <ol className="event-list" data-testid="profile-events">
                    {[...p.history]
                      // Newest first; same-day events keep their recorded order (out before in), then reversed.
                      .sort((a, b) => a.eventDate.localeCompare(b.eventDate))
                      .reverse()
                      .map((e) => (
                        <li key={e.id} className={`event-${EVENT_COLORS[e.kind] ?? 'blue'}`}>
                          <div className="num event-date">{fmtDate(e.eventDate)}</div>
                          <strong>{t.eventKinds[e.kind] ?? e.kind}</strong>
                          {e.schoolName ? <span className="event-school"> — {e.schoolName}</span> : null}
                          {eventText(e, statusName) ? <div className="event-text">{eventText(e, statusName)}</div> : null}
                        </li>
                      ))}
                  </ol>
                )}
              </Card>
              {privacyOfficer ? (
                <Suspense fallback={null}>
                  <AccessLogCard schoolId={schoolId} studentId={studentId} />
                </Suspense>
              ) : null}
            </Col>
          </Row>
          )}
          {manage ? (
            <Suspense fallback={null}>
              <StudentProfileDialogs schoolId={schoolId} student={p} open={dialog} onClose={() => setDialog(null)} />
            </Suspense>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

/** Label–value pairs of a record, one column on phones and two from 576 px (what antd Descriptions drew, without its weight). */
function Facts({ items }: { items: { key: string; label: string; children: ReactNode }[] }) {
  return (
    <dl className="facts">
      {items.map((i) => (
        <div key={i.key} className="fact">
          <dt>{i.label}</dt>
          <dd>{i.children}</dd>
        </div>
      ))}
    </dl>
  );
}
