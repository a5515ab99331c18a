import { ArrowLeftOutlined, DownOutlined, DownloadOutlined, EditOutlined, ExportOutlined, FilePdfOutlined, SwapOutlined, SyncOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Descriptions, Dropdown, Empty, Form, Input, Modal, Row, Select, Skeleton, Tag, Timeline, Typography } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { ApiError, api, downloadFile, errorText } from '../../api/client';
import { useCodeList } from '../../api/hooks';
import type { StudentEvent, StudentProfile } from '../../api/types';
import { fmtDate, todayIso, yearLabel } from '../../components/format';
import { QueryError } from '../../components/query-error';
import { foldSearch } from '../../components/select-search';
import { SimpleList } from '../../components/simple-list';
import { VnDatePicker } from '../../components/lazy-date-picker';
import { ResponsiveList } from '../../components/responsive-list';
import { vi } from '../../i18n/vi';
import { navigate } from '../../router';
import { useSession } from '../auth/session';
import { NotFound } from '../layout/status-pages';
import { AccessLogCard } from '../privacy/access-log-card';
import { ConsentCard } from '../privacy/consent-card';
import { statusColor } from './status';
import { StudentFormModal, useClassOptions } from './student-forms';

// Staff only, and only once asked for: the transfer dialog (steps, number inputs) is not part of
// what a parent downloads to read the profile.
const IssueTransferModal = lazy(async () => ({ default: (await import('../transfers/transfer-dialogs')).IssueTransferModal }));

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
}: {
  schoolId: string;
  studentId: string;
  canWrite: boolean;
  onBack?: () => void;
  /** Where "Quay lại danh sách" leads when the student is not there (or not the caller's). */
  listPath: string;
  notFoundText: string;
}) {
  const q = useQuery({
    queryKey: ['student', schoolId, studentId],
    queryFn: ({ signal }) => api.get<StudentProfile>(`/schools/${schoolId}/students/${studentId}`, undefined, signal),
  });
  const statuses = useCodeList('DM_TRANG_THAI_HOC_SINH');
  const statusName = (code: string) => statuses.data?.find((x) => x.code === code)?.name ?? code;
  const [editing, setEditing] = useState(false);
  const [moving, setMoving] = useState(false);
  const [changing, setChanging] = useState(false);
  const [issuing, setIssuing] = useState(false);

  const p = q.data;
  const manage = canWrite && !!p?.isCurrent;
  const session = useSession();
  const { message } = App.useApp();
  // The server has the last word (principal/admin of the school, or the child's parent); these only hide buttons.
  const privacyOfficer = session.has(['system_admin', 'principal']);
  const canExport = privacyOfficer || session.has(['parent']);
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
                        <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
                          {vi.common.edit}
                        </Button>
                        <Button icon={<SwapOutlined />} onClick={() => setMoving(true)}>
                          {t.transferClass}
                        </Button>
                        <Button icon={<SyncOutlined />} onClick={() => setChanging(true)}>
                          {t.changeStatus}
                        </Button>
                        {!p.pendingTransfer ? (
                          <Button icon={<ExportOutlined />} onClick={() => setIssuing(true)} data-testid="transfer-issue-open">
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
          <Row gutter={[12, 12]}>
            <Col xs={24} xl={14}>
              <Card title={t.info} size="small" style={{ marginBottom: 12 }}>
                <Descriptions
                  size="small"
                  column={{ xs: 1, sm: 2 }}
                  items={[
                    { key: 'lid', label: s.learnerId, children: <span className="num nowrap">{p.learnerId ?? vi.common.none}</span> },
                    ...(p.tempCode ? [{ key: 'tmp', label: s.tempCode, children: p.tempCode }] : []),
                    { key: 'cid', label: s.citizenId, children: <span className="num nowrap">{p.citizenId ?? vi.common.none}</span> },
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
              <Card title={t.enrolments} size="small" style={{ marginBottom: 12 }}>
                <ResponsiveList
                  size="small"
                  pagination={false}
                  tableFrom="sm"
                  card={(r) => (
                    <>
                      <span className="card-title">{`${yearLabel(r.year)} · ${s.class} ${r.className}`}</span>
                      <span className="card-meta">{r.schoolName}</span>
                      <span className="card-meta num">{`${fmtDate(r.startDate)} – ${r.endDate ? fmtDate(r.endDate) : vi.common.none}`}</span>
                    </>
                  )}
                  rowKey={(r) => `${r.year}-${r.className}-${r.startDate}`}
                  dataSource={p.enrolments}
                  columns={[
                    { title: t.year, dataIndex: 'year', width: 100, render: (y: number) => yearLabel(y) },
                    { title: s.class, dataIndex: 'className', width: 70 },
                    { title: s.school, dataIndex: 'schoolName' },
                    { title: t.start, dataIndex: 'startDate', width: 105, render: (d: string) => fmtDate(d) },
                    { title: t.end, dataIndex: 'endDate', width: 105, render: (d: string | null) => (d ? fmtDate(d) : vi.common.none) },
                  ]}
                />
              </Card>
            </Col>
            <Col xs={24} xl={10}>
              <ConsentCard schoolId={schoolId} student={p} />
              <Card title={t.events} size="small">
                {p.history.length === 0 ? (
                  <Typography.Text type="secondary">{t.noEvents}</Typography.Text>
                ) : (
                  <Timeline
                    items={[...p.history]
                      // Newest first; same-day events keep their recorded order (out before in), then reversed.
                      .sort((a, b) => a.eventDate.localeCompare(b.eventDate))
                      .reverse()
                      .map((e) => ({
                        key: e.id,
                        color: EVENT_COLORS[e.kind] ?? 'blue',
                        content: (
                          <div>
                            <div className="num" style={{ color: '#667085', fontSize: 13 }}>
                              {fmtDate(e.eventDate)}
                            </div>
                            <strong>{t.eventKinds[e.kind] ?? e.kind}</strong>
                            {e.schoolName ? <Typography.Text type="secondary"> — {e.schoolName}</Typography.Text> : null}
                            {eventText(e, statusName) ? <div style={{ color: '#475467' }}>{eventText(e, statusName)}</div> : null}
                          </div>
                        ),
                      }))}
                  />
                )}
              </Card>
              {privacyOfficer ? <AccessLogCard schoolId={schoolId} studentId={studentId} /> : null}
            </Col>
          </Row>
          {manage ? (
            <Suspense fallback={null}>
              <StudentFormModal schoolId={schoolId} open={editing} onClose={() => setEditing(false)} student={p} />
              <TransferClassModal schoolId={schoolId} student={p} open={moving} onClose={() => setMoving(false)} />
              <ChangeStatusModal schoolId={schoolId} student={p} open={changing} onClose={() => setChanging(false)} />
              {issuing ? <IssueTransferModal schoolId={schoolId} student={p} open={issuing} onClose={() => setIssuing(false)} /> : null}
            </Suspense>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

function useStudentMutation(schoolId: string, studentId: string, onDone: () => void) {
  const qc = useQueryClient();
  const { message } = App.useApp();
  return useMutation({
    mutationFn: ({ path, body }: { path: string; body: unknown }) => api.post(`/schools/${schoolId}/students/${studentId}/${path}`, body),
    onSuccess: () => {
      message.success(vi.common.saved);
      void qc.invalidateQueries({ queryKey: ['student', schoolId, studentId] });
      void qc.invalidateQueries({ queryKey: ['students', schoolId] });
      void qc.invalidateQueries({ queryKey: ['classes', schoolId] });
      onDone();
    },
    onError: (e) => message.error(errorText(e)),
  });
}

function TransferClassModal({ schoolId, student, open, onClose }: { schoolId: string; student: StudentProfile; open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<{ toClassId: string; effectiveDate: string; note?: string }>();
  const m = useStudentMutation(schoolId, student.id, onClose);
  const { options, loading } = useClassOptions(schoolId);
  return (
    <Modal
      open={open}
      title={`${t.transferClass}: ${student.fullName}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={vi.common.confirm}
      cancelText={vi.common.cancel}
      confirmLoading={m.isPending}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ effectiveDate: todayIso() }}
        requiredMark={false}
        onFinish={(v) => m.mutate({ path: 'transfer-class', body: { ...v, note: v.note?.trim() || undefined } })}
      >
        <Form.Item name="toClassId" label={t.toClass} rules={[{ required: true, message: vi.common.required }]}>
          <Select showSearch={foldSearch} loading={loading} options={options.filter((o) => o.value !== student.classId)} />
        </Form.Item>
        <Form.Item name="effectiveDate" label={vi.common.effectiveDate} rules={[{ required: true, message: vi.common.required }]}>
          <VnDatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="note" label={vi.common.note}>
          <Input.TextArea rows={2} maxLength={300} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ChangeStatusModal({ schoolId, student, open, onClose }: { schoolId: string; student: StudentProfile; open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<{ statusCode: string; effectiveDate: string; note?: string }>();
  const m = useStudentMutation(schoolId, student.id, onClose);
  const statuses = useCodeList('DM_TRANG_THAI_HOC_SINH');
  return (
    <Modal
      open={open}
      title={`${t.changeStatus}: ${student.fullName}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={vi.common.confirm}
      cancelText={vi.common.cancel}
      confirmLoading={m.isPending}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ effectiveDate: todayIso() }}
        requiredMark={false}
        onFinish={(v) => m.mutate({ path: 'status', body: { ...v, note: v.note?.trim() || undefined } })}
      >
        <Form.Item name="statusCode" label={t.newStatus} rules={[{ required: true, message: vi.common.required }]}>
          <Select
            loading={statuses.isLoading}
            options={(statuses.data ?? []).filter((x) => x.code !== student.statusCode).map((x) => ({ value: x.code, label: x.name }))}
          />
        </Form.Item>
        <Form.Item name="effectiveDate" label={vi.common.effectiveDate} rules={[{ required: true, message: vi.common.required }]}>
          <VnDatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="note" label={vi.common.note}>
          <Input.TextArea rows={2} maxLength={300} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
