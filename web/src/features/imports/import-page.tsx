import { DownloadOutlined, FileExcelOutlined, InboxOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Col, Flex, Progress, Radio, Result, Row, Statistic, Steps, Typography, Upload } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { api, downloadFile, errorText } from '../../api/client';
import type { ImportJob } from '../../api/types';
import { fmtNum } from '../../components/format';
import { PageHeader } from '../../components/page-header';
import { SchoolYearSelect } from '../../components/school-year-select';
import { ResponsiveList } from '../../components/responsive-list';
import { vi } from '../../i18n/vi';
import { useSession } from '../auth/session';
import { RequireSchool } from '../layout/require-school';
import { LegacyOutcome, useLegacyImport } from './legacy-import';

const t = vi.imports;
/** 'legacy': results of years under Thông tư 58/2011 (legacy-import.tsx), answered at once rather than as a job. */
type Kind = 'students' | 'staff' | 'classes' | 'legacy';
type Mode = 'all_or_nothing' | 'valid_only';
const TERMINAL = new Set(['done', 'failed', 'rejected']);

export function ImportPage() {
  return <RequireSchool>{(schoolId) => <ImportWizard schoolId={schoolId} key={schoolId} />}</RequireSchool>;
}

function ImportWizard({ schoolId }: { schoolId: string }) {
  const { message } = App.useApp();
  const session = useSession();
  // Only the principal (or the system administrator) may let a file change who a student is.
  const mayChangeIdentity = session.me.grants.some((g) => g.role === 'system_admin' || (g.role === 'principal' && g.orgUnitId === schoolId));
  // Old years' results are the school office's work: the principal's and school staff's of this school (the route's permission).
  const mayImportLegacy = session.me.grants.some((g) => (g.role === 'principal' || g.role === 'school_staff') && g.orgUnitId === schoolId);
  const kinds: Kind[] = mayImportLegacy ? ['students', 'staff', 'classes', 'legacy'] : ['students', 'staff', 'classes'];
  const [identity, setIdentity] = useState(false);
  const [step, setStep] = useState(0);
  const [kind, setKind] = useState<Kind>('students');
  const [year, setYear] = useState<number | null>(null);
  const [mode, setMode] = useState<Mode>('all_or_nothing');
  const [file, setFile] = useState<File | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const uploadRef = useRef<HTMLDivElement>(null);

  // antd's Upload does not forward data-* to its hidden <input type=file>; tag it for e2e tests.
  useEffect(() => {
    uploadRef.current?.querySelector('input[type=file]')?.setAttribute('data-testid', 'import-file');
  });

  const start = useMutation({
    mutationFn: async () => {
      if (!file) throw new Error(t.noFile);
      const fd = new FormData();
      fd.append('file', file, file.name);
      return api.post<ImportJob, FormData>(`/schools/${schoolId}/imports`, fd, {
        kind,
        mode,
        year: kind === 'staff' ? undefined : year,
        allowIdentityChanges: kind === 'students' && mayChangeIdentity && identity ? true : undefined,
      });
    },
    onSuccess: (job) => {
      setJobId(job.id);
      setStep(2);
    },
    onError: (e) => message.error(errorText(e)),
  });

  const legacy = useLegacyImport(schoolId);
  const needsYear = kind === 'students' || kind === 'classes';

  const job = useQuery({
    queryKey: ['import-job', schoolId, jobId],
    queryFn: ({ signal }) => api.get<ImportJob>(`/schools/${schoolId}/imports/${jobId}`, undefined, signal),
    enabled: !!jobId,
    refetchInterval: (q) => (q.state.data && TERMINAL.has(q.state.data.status) ? false : 500),
    initialData: start.data && start.data.id === jobId ? start.data : undefined,
  });

  const reset = () => {
    setFile(null);
    setJobId(null);
    start.reset();
    legacy.reset();
    setStep(1);
  };

  return (
    <>
      <PageHeader title={t.title} />
      <Card>
        <Steps current={step} items={t.steps.map((title) => ({ title }))} style={{ marginBottom: 24 }} size="small" responsive />
        {step === 0 ? (
          <div>
            <Typography.Title level={5}>{t.kind}</Typography.Title>
            <Radio.Group value={kind} onChange={(e) => setKind(e.target.value as Kind)} style={{ width: '100%' }} data-testid="import-kind">
              <Row gutter={[12, 12]}>
                {kinds.map((k) => (
                  <Col xs={24} md={12} xl={24 / kinds.length} key={k}>
                    <Card size="small" hoverable onClick={() => setKind(k)} style={{ height: '100%', borderColor: kind === k ? '#0b6bcb' : undefined }} data-testid={`import-kind-${k}`}>
                      <Radio value={k}>
                        <strong>{t.kinds[k]}</strong>
                      </Radio>
                      <div style={{ color: '#667085', marginTop: 4, fontSize: 13 }}>{t.kindHelp[k]}</div>
                    </Card>
                  </Col>
                ))}
              </Row>
            </Radio.Group>
            {needsYear ? (
              <Flex gap={8} align="center" wrap style={{ marginTop: 16 }}>
                <span>{t.year}:</span>
                <SchoolYearSelect schoolId={schoolId} value={year} onChange={setYear} style={{ width: 240 }} />
              </Flex>
            ) : null}
            <Alert
              style={{ marginTop: 16 }}
              type="info"
              showIcon
              icon={<FileExcelOutlined />}
              title={kind === 'legacy' ? t.legacy.templateHelp : t.templateHelp}
              action={
                <Button
                  size="small"
                  icon={<DownloadOutlined />}
                  data-testid="import-template"
                  onClick={() =>
                    void (
                      kind === 'legacy'
                        ? downloadFile(`/schools/${schoolId}/legacy-results/template.xlsx`, undefined, 'Mau-nhap-ket-qua-TT58.xlsx')
                        : downloadFile(`/imports/templates/${kind}`, undefined, `mau-${kind}.xlsx`)
                    ).catch((e) => message.error(errorText(e)))
                  }
                >
                  {t.template}
                </Button>
              }
            />
            <Flex justify="flex-end" style={{ marginTop: 24 }}>
              <Button type="primary" onClick={() => setStep(1)} disabled={needsYear && year === null} data-testid="import-next">
                {t.next}
              </Button>
            </Flex>
          </div>
        ) : null}
        {step === 1 ? (
          <div>
            <div ref={uploadRef}>
              <Upload.Dragger
                accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                maxCount={1}
                multiple={false}
                fileList={file ? [{ uid: 'f', name: file.name, size: file.size, status: 'done' }] : []}
                beforeUpload={(f) => {
                  if (!/\.xlsx$/i.test(f.name)) {
                    message.error(t.onlyXlsx);
                    return Upload.LIST_IGNORE;
                  }
                  setFile(f);
                  return false;
                }}
                onRemove={() => setFile(null)}
              >
                <p className="ant-upload-drag-icon">
                  <InboxOutlined />
                </p>
                <p className="ant-upload-text">{t.drag}</p>
                <p className="ant-upload-hint">{t.dragHint}</p>
              </Upload.Dragger>
            </div>
            {kind === 'legacy' ? (
              <Alert style={{ marginTop: 20 }} type="info" showIcon title={t.legacy.allOrNothing} />
            ) : (
              <>
                <Typography.Title level={5} style={{ marginTop: 20 }}>
                  {t.mode}
                </Typography.Title>
                <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as Mode)} data-testid="import-mode">
                  <Flex vertical gap={8}>
                    <Radio value="all_or_nothing" data-testid="import-mode-all">
                      {t.modeAll}
                      <div style={{ color: '#667085', fontSize: 13 }}>{t.modeAllHelp}</div>
                    </Radio>
                    <Radio value="valid_only" data-testid="import-mode-valid">
                      {t.modeValid}
                      <div style={{ color: '#667085', fontSize: 13 }}>{t.modeValidHelp}</div>
                    </Radio>
                  </Flex>
                </Radio.Group>
              </>
            )}
            {kind === 'students' && mayChangeIdentity ? (
              <div style={{ marginTop: 16 }}>
                <Checkbox checked={identity} onChange={(e) => setIdentity(e.target.checked)} data-testid="import-identity">
                  {t.identity}
                </Checkbox>
                <div style={{ color: '#667085', fontSize: 13, marginTop: 4 }}>{t.identityHelp}</div>
              </div>
            ) : null}
            <Flex justify="space-between" style={{ marginTop: 24 }} gap={8}>
              <Button onClick={() => setStep(0)}>{t.prev}</Button>
              <Button
                type="primary"
                disabled={!file}
                loading={start.isPending}
                onClick={() => {
                  if (kind !== 'legacy') start.mutate();
                  else if (file) {
                    legacy.mutate({ file, replace: false });
                    setStep(2);
                  }
                }}
                data-testid="import-start"
              >
                {t.start}
              </Button>
            </Flex>
          </div>
        ) : null}
        {step === 2 && kind === 'legacy' ? <LegacyOutcome outcome={legacy} file={file} onAgain={reset} /> : null}
        {step === 2 && kind !== 'legacy' ? <ImportResult schoolId={schoolId} job={job.data} error={job.error} onAgain={reset} /> : null}
      </Card>
    </>
  );
}

function ImportResult({ schoolId, job, error, onAgain }: { schoolId: string; job?: ImportJob; error: unknown; onAgain: () => void }) {
  const { message } = App.useApp();
  if (error && !job) return <Alert type="error" showIcon title={errorText(error)} />;
  if (!job) return <Progress percent={0} status="active" />;
  const finished = TERMINAL.has(job.status);
  const percent = job.totalRows > 0 ? Math.min(100, Math.round((job.processedRows / job.totalRows) * 100)) : finished ? 100 : 0;
  const status = job.status === 'done' ? (job.errorCount ? 'warning' : 'success') : job.status === 'failed' || job.status === 'rejected' ? 'error' : 'info';
  return (
    <div data-testid="import-result" data-status={job.status}>
      <Typography.Text type="secondary">
        {job.fileName} · {t.kinds[job.kind]} · {job.mode === 'valid_only' ? t.modeValid : t.modeAll}
        {job.allowIdentityChanges ? ` · ${t.identityOn}` : ''}
      </Typography.Text>
      <Progress
        percent={percent}
        status={finished ? (job.status === 'done' ? 'success' : 'exception') : 'active'}
        format={() => t.progress(fmtNum(job.processedRows), fmtNum(job.totalRows))}
        style={{ margin: '12px 0' }}
      />
      {finished ? (
        <Result
          status={status}
          title={t.status[job.status]}
          subTitle={job.message ?? undefined}
          style={{ padding: '16px 0' }}
          extra={
            <Button type="primary" onClick={onAgain}>
              {t.again}
            </Button>
          }
        />
      ) : (
        <Typography.Paragraph>{t.status[job.status]}</Typography.Paragraph>
      )}
      <Row gutter={[12, 12]}>
        {[
          { k: 'total', title: t.totalRows, v: job.totalRows },
          { k: 'created', title: t.created, v: job.createdRows },
          { k: 'updated', title: t.updated, v: job.updatedRows },
          { k: 'errors', title: t.errors, v: job.errorCount },
        ].map((s) => (
          <Col xs={12} md={6} key={s.k}>
            <Card size="small" data-testid={`import-count-${s.k}`}>
              <Statistic title={s.title} value={s.v} formatter={(v) => fmtNum(Number(v))} styles={s.k === 'errors' && s.v ? { content: { color: '#cf1322' } } : undefined} />
            </Card>
          </Col>
        ))}
      </Row>
      {job.errorCount > 0 ? (
        <div style={{ marginTop: 16 }}>
          <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 8 }}>
            <Typography.Title level={5} style={{ margin: 0 }}>
              {t.errorTable}
            </Typography.Title>
            <Button
              icon={<DownloadOutlined />}
              data-testid="import-errors-xlsx"
              onClick={() => void downloadFile(`/schools/${schoolId}/imports/${job.id}/errors.xlsx`, undefined, 'bang-loi.xlsx').catch((e) => message.error(errorText(e)))}
            >
              {t.downloadErrors}
            </Button>
          </Flex>
          <ResponsiveList
            size="small"
            bordered
            rowKey={(r) => `${r.row}-${r.column}-${r.message}`}
            dataSource={job.errors}
            pagination={{ defaultPageSize: 50, hideOnSinglePage: true, size: 'small' }}
            card={(e) => (
              <>
                <strong>{`${t.row} ${e.row} · ${e.column}`}</strong>
                {e.value ? <Typography.Text type="secondary">{` — “${e.value}”`}</Typography.Text> : null}
                <div>{e.message}</div>
              </>
            )}
            columns={[
              { title: t.row, dataIndex: 'row', width: 70, align: 'right' },
              { title: t.column, dataIndex: 'column', width: 150 },
              { title: t.value, dataIndex: 'value', width: 160, render: (v: string | null) => v ?? vi.common.none },
              { title: t.message, dataIndex: 'message' },
            ]}
          />
          {job.errors.length < job.errorCount ? <Typography.Text type="secondary">{t.moreErrors(fmtNum(job.errorCount))}</Typography.Text> : null}
        </div>
      ) : null}
    </div>
  );
}
