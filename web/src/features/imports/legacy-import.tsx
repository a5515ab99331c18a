import { useMutation } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Flex, Result, Row, Spin, Statistic } from 'antd';
import { ApiError, api, errorText } from '../../api/client';
import type { LegacyImportResult } from '../../api/types';
import { fmtNum } from '../../components/format';
import { vi } from '../../i18n/vi';
import { ImportIssueList, issuesOf } from './import-issues';

const t = vi.imports.legacy;

/**
 * The import of results of years assessed under Thông tư 58/2011 (legacy-results-import.ts on the
 * server): one request that answers at once, all or nothing, unlike the import page's jobs. The
 * page's wizard keeps the kind, the template and the file; this holds the request and what it
 * answered. `replace` is only ever sent after the user confirmed it on the conflict the server
 * listed (a year imported before).
 */
export function useLegacyImport(schoolId: string) {
  return useMutation({
    mutationFn: async ({ file, replace }: { file: File; replace: boolean }) => {
      const fd = new FormData();
      fd.append('file', file, file.name);
      return api.post<LegacyImportResult, FormData>(`/schools/${schoolId}/legacy-results/import`, fd, { replace: replace || undefined });
    },
  });
}

type Outcome = ReturnType<typeof useLegacyImport>;

/** The answer: the count imported, the rows to fix, or the years already imported with the explicit replace. */
export function LegacyOutcome({ outcome, file, onAgain }: { outcome: Outcome; file: File | null; onAgain: () => void }) {
  const { modal } = App.useApp();
  const again = (
    <Button type="primary" onClick={onAgain} key="again">
      {vi.imports.again}
    </Button>
  );
  if (outcome.isPending) {
    return (
      <Flex vertical align="center" gap={12} style={{ padding: 24 }} data-testid="legacy-import-pending">
        <Spin />
        <span>{t.checking}</span>
      </Flex>
    );
  }
  if (outcome.data) {
    const r = outcome.data;
    return (
      <div data-testid="legacy-import-done" data-imported={r.imported}>
        <Result status="success" title={t.done} subTitle={t.doneHelp(fmtNum(r.imported), r.replaced)} style={{ padding: '16px 0' }} extra={again} />
        <Row gutter={[12, 12]}>
          <Col xs={12} md={6}>
            <Card size="small" data-testid="legacy-count-imported">
              <Statistic title={t.imported} value={r.imported} formatter={(v) => fmtNum(Number(v))} />
            </Card>
          </Col>
          <Col xs={12} md={6}>
            <Card size="small">
              <Statistic title={t.replaced} value={r.replaced} formatter={(v) => fmtNum(Number(v))} />
            </Card>
          </Col>
        </Row>
      </div>
    );
  }
  const e = outcome.error;
  if (!e) return null;
  const issues = issuesOf(e);
  if (e instanceof ApiError && e.code === 'legacy_import_conflict') {
    const body = e.body as { schoolYears?: unknown };
    const years = Array.isArray(body.schoolYears) && body.schoolYears.length > 0 ? body.schoolYears.join(', ') : '…';
    const confirmReplace = () => {
      modal.confirm({
        title: t.replaceTitle,
        content: t.replaceConfirm(issues.length, years),
        okText: t.replaceOk,
        okButtonProps: { danger: true, 'data-testid': 'legacy-replace-ok' },
        cancelText: vi.common.cancel,
        onOk: () => {
          if (file) outcome.mutate({ file, replace: true });
        },
      });
    };
    return (
      <div data-testid="legacy-import-conflict">
        <Alert
          type="warning"
          showIcon
          title={t.conflict(years)}
          description={t.conflictHelp(issues.length)}
          style={{ marginBottom: 12 }}
        />
        <Flex gap={8} wrap style={{ marginBottom: 16 }}>
          <Button danger onClick={confirmReplace} disabled={!file} data-testid="legacy-replace">
            {t.replace}
          </Button>
          <Button onClick={onAgain}>{t.otherFile}</Button>
        </Flex>
        <ImportIssueList issues={issues} testId="legacy-issues" />
      </div>
    );
  }
  if (issues.length > 0) {
    return (
      <div data-testid="legacy-import-invalid">
        <Result status="error" title={t.invalid} subTitle={t.invalidHelp(issues.length)} style={{ padding: '16px 0' }} extra={again} />
        <ImportIssueList issues={issues} testId="legacy-issues" />
      </div>
    );
  }
  return <Result status="error" title={t.invalid} subTitle={errorText(e)} extra={again} data-testid="legacy-import-failed" />;
}
