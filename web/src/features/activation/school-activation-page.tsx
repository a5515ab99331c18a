import { PrinterOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { api, downloadFile, errorText } from '../../api/client';
import type { ActivationClass, ClassItem } from '../../api/types';
import { fmtDate } from '../../components/format';
import { PageHeader } from '../../components/page-header';
import { QueryError } from '../../components/query-error';
import { ResponsiveList } from '../../components/responsive-list';
import { viActivation } from '../../i18n/vi-activation';
import { RequireSchool } from '../layout/require-school';
import { ClassFilters, useClassChoice } from '../results/class-choice';
import './activation.css';

const t = viActivation.school;
type Row = ActivationClass['students'][number];
type CodeInfo = Row['guardians'][number]['code'];

// The school's managers see every class; a homeroom teacher their own (the server says the same).
const mayPrint = (c: ClassItem) => c.access === 'full' || c.access === 'homeroom';

/** "Kích hoạt sổ liên lạc": per class, who has activated (guardians, the student's own account), the codes printed, and printing or reprinting the sheet. */
export function SchoolActivationPage() {
  return <RequireSchool>{(schoolId) => <View schoolId={schoolId} key={schoolId} />}</RequireSchool>;
}

const day = (iso: string | null) => (iso ? fmtDate(iso.slice(0, 10)) : '');

function codeText(c: CodeInfo): string {
  switch (c.state) {
    case 'none':
      return t.state.none;
    case 'unused':
      return t.state.unused(day(c.printedAt), day(c.expiresAt));
    case 'used':
      return t.state.used;
    case 'expired':
      return t.state.expired(day(c.expiresAt));
    case 'replaced':
      return t.state.replaced;
  }
}

function Status({ activatedAt, code, label }: { activatedAt: string | null; code: CodeInfo; label: string }) {
  const on = activatedAt !== null;
  return (
    <div className="act-status">
      <span className="act-who">{label}</span>{' '}
      <Tag color={on ? 'green' : code.state === 'expired' ? 'orange' : 'default'}>{on ? (activatedAt ? t.activatedOn(day(activatedAt)) : t.activated) : t.notActivated}</Tag>
      {!on ? <span className="act-code">{codeText(code)}</span> : null}
    </div>
  );
}

const relation = viActivation.family.relation;

function Guardians({ row }: { row: Row }) {
  if (row.guardians.length === 0) return <Typography.Text type="secondary">{t.noGuardian}</Typography.Text>;
  return (
    <>
      {row.guardians.map((g) => (
        <Status key={g.guardianId} activatedAt={g.activatedAt} code={g.code} label={`${relation[g.relation]}: ${g.fullName}`} />
      ))}
    </>
  );
}

function View({ schoolId }: { schoolId: string }) {
  const choice = useClassChoice(schoolId, mayPrint);
  const { cls, classes, own } = choice;
  return (
    <>
      <PageHeader title={t.title} subtitle={cls ? t.subtitle(cls.name) : undefined} />
      <ClassFilters schoolId={schoolId} choice={choice} />
      {classes.isError ? <QueryError error={classes.error} onRetry={() => classes.refetch()} /> : null}
      {classes.data && own.length === 0 ? <Alert type="info" showIcon title={t.noClass} /> : null}
      {cls ? <ClassActivation key={cls.id} schoolId={schoolId} classId={cls.id} /> : null}
    </>
  );
}

function ClassActivation({ schoolId, classId }: { schoolId: string; classId: string }) {
  const { message } = App.useApp();
  const qc = useQueryClient();
  const path = `/schools/${schoolId}/classes/${classId}/activation`;
  const q = useQuery({ queryKey: ['activation', path], queryFn: ({ signal }) => api.get<ActivationClass>(path, undefined, signal) });
  const [chosen, setChosen] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const data = q.data;

  const print = async (studentIds: string[]) => {
    setBusy(true);
    try {
      await downloadFile(`${path}/sheet.pdf`, undefined, 'phieu-kich-hoat.pdf', { json: studentIds.length ? { studentIds } : {} });
      void message.success(t.printed);
      setChosen([]);
      await qc.invalidateQueries({ queryKey: ['activation', path] });
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  if (q.isError) return <QueryError error={q.error} onRetry={() => q.refetch()} />;
  const students = data?.students ?? [];
  const families = students.filter((s) => s.guardians.some((g) => g.activatedAt !== null)).length;
  const columns: TableColumnsType<Row> = [
    { key: 'name', title: t.student, dataIndex: 'fullName', width: 220 },
    { key: 'guardians', title: t.guardians, render: (_, r) => <Guardians row={r} /> },
    ...(data?.students.some((s) => s.ownAccount)
      ? [{ key: 'own', title: t.own, width: 260, render: (_: unknown, r: Row) => (r.ownAccount ? <Status activatedAt={r.ownAccount.activatedAt} code={r.ownAccount.code} label="" /> : null) }]
      : []),
  ];
  return (
    <>
      {data ? <Typography.Paragraph type="secondary">{t.help(data.validDays)}</Typography.Paragraph> : null}
      <div className="filters">
        <Button type="primary" icon={<PrinterOutlined />} loading={busy} disabled={!data || students.length === 0} onClick={() => void print([])} data-testid="activation-print-all">
          {t.printAll}
        </Button>
        {chosen.length > 0 ? (
          <Button icon={<PrinterOutlined />} loading={busy} onClick={() => void print(chosen)} data-testid="activation-print-chosen">
            {t.printChosen(chosen.length)}
          </Button>
        ) : null}
        {data ? <Typography.Text>{t.summary(students.length, families)}</Typography.Text> : null}
      </div>
      <ResponsiveList<Row>
        rowKey="studentId"
        dataSource={students}
        columns={columns}
        loading={q.isLoading}
        pagination={false}
        locale={{ emptyText: t.empty }}
        rowSelection={{ selectedRowKeys: chosen, onChange: (keys) => setChosen(keys.map(String)) }}
        itemTestId="activation-student"
        cardLabel={(r) => r.fullName}
        card={(r) => (
          <div className="act-card">
            <div className="list-title">{r.fullName}</div>
            <Guardians row={r} />
            {r.ownAccount ? <Status activatedAt={r.ownAccount.activatedAt} code={r.ownAccount.code} label={`${t.own}:`} /> : null}
          </div>
        )}
        data-testid="activation-list"
      />
    </>
  );
}
