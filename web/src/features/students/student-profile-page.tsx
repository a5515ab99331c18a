import { ArrowLeftOutlined, EditOutlined, ExportOutlined, SwapOutlined, SyncOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Empty, Row, Skeleton, Typography } from 'antd';
import { lazy, type ReactNode, Suspense, useState } from 'react';
import { ApiError, api } from '../../api/client';
import { useCodeList } from '../../api/hooks';
import type { StudentProfile } from '../../api/types';
import { fmtDate } from '../../components/format';
import { QueryError } from '../../components/query-error';
import { vi } from '../../i18n/vi';
import { navigate } from '../../router';
import { useSession } from '../auth/session';
import { NotFound } from '../layout/status-pages';
import type { ProfileDialog } from './student-profile-actions';
import { statusColor } from './status';

// The profile is what a parent reads (issue 8: the parent area within 300 KB): it draws with plain
// lists, and what only staff use loads on its own, only for them: the dialogs that change the
// record (forms, selects, date pickers) and the principal's access log (a table, student-record.tsx).
const StudentProfileDialogs = lazy(async () => ({ default: (await import('./student-profile-actions')).StudentProfileDialogs }));
// The record's cards (facts, guardians, consents, events) load on their own too: the family
// portal shows them on its "Hồ sơ" tab only, not on its first screen.
// The personal-data export menu (a dropdown and its icons): on the portal's "Hồ sơ" tab only.
const ExportMenu = lazy(async () => ({ default: (await import('./student-export-menu')).ExportMenu }));
const StudentRecord = lazy(async () => ({ default: (await import('./student-record')).StudentRecord }));

const t = vi.profile;

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
  // The server has the last word (principal/admin of the school, or the child's parent); these only hide buttons.
  const privacyOfficer = session.has(['system_admin', 'principal']);
  // In the family portal the export sits with the record (its "Hồ sơ" tab), not above every tab.
  const canExport = (privacyOfficer || session.has(['parent'])) && !recordHidden;
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
                  {/* Plain pills (the student list's), not antd Tag: one chunk less on the family portal's first screen. */}
                  <span className={`pill pill-${statusColor(p.statusCode)}`}>{p.statusName ?? statusName(p.statusCode)}</span>
                  {p.className ? <span className="pill pill-blue">{`${vi.common.class} ${p.className}`}</span> : null}
                  <span className="pill pill-grey">{p.schoolName}</span>
                </div>
              </Col>
              {manage || canExport ? (
                <Col>
                  <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
                    {canExport ? (
                      <Suspense fallback={null}>
                        <ExportMenu schoolId={schoolId} studentId={studentId} family={session.isFamily} />
                      </Suspense>
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
            <Suspense fallback={<Skeleton active />}>
              <StudentRecord schoolId={schoolId} studentId={studentId} p={p} statusName={statusName} privacyOfficer={privacyOfficer} />
            </Suspense>
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
