import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Modal, Popconfirm, Segmented, Select } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { api, errorText } from '../../api/client';
import { useClasses, useStaffDirectory, useSubjects } from '../../api/hooks';
import type { Assignment, CreateAssignment, Ok } from '../../api/types';
import { fmtNum } from '../../components/format';
import { PageHeader } from '../../components/page-header';
import { ResponsiveList } from '../../components/responsive-list';
import { QueryError } from '../../components/query-error';
import { SchoolYearSelect } from '../../components/school-year-select';
import { foldSearch } from '../../components/select-search';
import { vi } from '../../i18n/vi';
import { useSession } from '../auth/session';
import { RequireSchool } from '../layout/require-school';

const t = vi.assignments;
const collator = new Intl.Collator('vi', { numeric: true });

export function AssignmentsPage() {
  return <RequireSchool>{(schoolId) => <Assignments schoolId={schoolId} key={schoolId} />}</RequireSchool>;
}

function Assignments({ schoolId }: { schoolId: string }) {
  const session = useSession();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [year, setYear] = useState<number | null>(null);
  const [term, setTerm] = useState<number>(1);
  const [classId, setClassId] = useState<string | undefined>();
  const [staffId, setStaffId] = useState<string | undefined>();
  const [view, setView] = useState<'list' | 'matrix'>('list');
  const [adding, setAdding] = useState(false);
  const classes = useClasses(schoolId, year);
  const staff = useStaffDirectory(schoolId);

  const list = useQuery({
    queryKey: ['assignments', schoolId, year, term, classId ?? null, staffId ?? null],
    queryFn: ({ signal }) => api.get<Assignment[]>(`/schools/${schoolId}/assignments`, { year, term, classId, staffId }, signal),
    enabled: year !== null,
  });
  const rows = useMemo(
    () => [...(list.data ?? [])].sort((a, b) => collator.compare(a.className, b.className) || collator.compare(a.subjectName, b.subjectName)),
    [list.data],
  );

  const del = useMutation({
    mutationFn: (id: string) => api.del<Ok>(`/schools/${schoolId}/assignments/${id}`),
    onSuccess: () => {
      message.success(vi.common.deleted);
      void qc.invalidateQueries({ queryKey: ['assignments', schoolId] });
    },
    onError: (e) => message.error(errorText(e)),
  });

  const columns: TableColumnsType<Assignment> = [
    { title: t.class, dataIndex: 'className', width: 90 },
    { title: t.subject, dataIndex: 'subjectName', width: 200 },
    { title: t.teacher, dataIndex: 'staffName', width: 200 },
    { title: vi.common.term, dataIndex: 'term', width: 100, render: (v: number) => vi.common.terms[v] ?? v },
    ...(session.canWrite
      ? [
          {
            title: <span className="sr-only">{vi.common.delete}</span>,
            key: 'act',
            width: 56,
            render: (_: unknown, r: Assignment) => (
              <Popconfirm title={t.confirmDelete} okText={vi.common.delete} cancelText={vi.common.cancel} onConfirm={() => del.mutate(r.id)}>
                <Button type="text" danger aria-label={`${vi.common.delete} ${r.className} ${r.subjectName}`} icon={<DeleteOutlined />} />
              </Popconfirm>
            ),
          },
        ]
      : []),
  ];

  // Matrix: one row per class, one column per subject, the teacher's name in the cell.
  const matrix = useMemo(() => {
    const subjects = [...new Map(rows.map((r) => [r.subjectCode, r.subjectName])).entries()].sort((a, b) => collator.compare(a[1], b[1]));
    const byClass = new Map<string, { key: string; className: string; cells: Record<string, string[]> }>();
    for (const r of rows) {
      const row = byClass.get(r.classId) ?? { key: r.classId, className: r.className, cells: {} };
      (row.cells[r.subjectCode] ??= []).push(r.staffName);
      byClass.set(r.classId, row);
    }
    return { subjects, data: [...byClass.values()] };
  }, [rows]);

  return (
    <>
      <PageHeader
        title={t.title}
        subtitle={list.data ? t.count(fmtNum(list.data.length)) : undefined}
        extra={
          session.canWrite && year !== null ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
              {t.add}
            </Button>
          ) : null
        }
      />
      <div className="filters">
        <SchoolYearSelect schoolId={schoolId} value={year} onChange={setYear} className="f-200" />
        <Select
          className="f-160"
          value={term}
          onChange={setTerm}
          options={[1, 2].map((x) => ({ value: x, label: vi.common.terms[x] }))}
          aria-label={vi.common.term}
        />
        <Select
          className="f-160"
          allowClear
          showSearch={foldSearch}
          placeholder={t.class}
          aria-label={t.class}
          value={classId}
          onChange={setClassId}
          loading={classes.isLoading}
          options={(classes.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
        />
        <Select
          className="f-200"
          allowClear
          showSearch={foldSearch}
          placeholder={t.teacher}
          aria-label={t.teacher}
          value={staffId}
          onChange={setStaffId}
          loading={staff.isLoading}
          options={(staff.data ?? []).map((s) => ({ value: s.id, label: s.fullName }))}
          popupMatchSelectWidth={false}
        />
        <Segmented
          value={view}
          onChange={(v) => setView(v as 'list' | 'matrix')}
          options={[
            { value: 'list', label: t.viewList },
            { value: 'matrix', label: t.viewMatrix },
          ]}
        />
      </div>
      {list.isError ? <QueryError error={list.error} onRetry={() => list.refetch()} /> : null}
      {view === 'list' ? (
        <ResponsiveList<Assignment>
          size="small"
          bordered
          rowKey="id"
          loading={list.isLoading}
          columns={columns}
          dataSource={rows}
          pagination={{ defaultPageSize: 100, hideOnSinglePage: true, size: 'small' }}
          card={(r) => (
            <>
              <span className="card-title">{`${r.className} · ${r.subjectName}`}</span>
              <span className="card-meta">
                <span>{r.staffName}</span>
                <span>{vi.common.terms[r.term] ?? r.term}</span>
              </span>
            </>
          )}
          cardActions={
            session.canWrite
              ? (r) => (
                  <Popconfirm title={t.confirmDelete} okText={vi.common.delete} cancelText={vi.common.cancel} onConfirm={() => del.mutate(r.id)}>
                    <Button size="small" danger icon={<DeleteOutlined />}>
                      {vi.common.delete}
                    </Button>
                  </Popconfirm>
                )
              : undefined
          }
        />
      ) : (
        <ResponsiveList
          size="small"
          bordered
          rowKey="key"
          loading={list.isLoading}
          dataSource={matrix.data}
          pagination={false}
          card={(r) => (
            <>
              <span className="card-title">{`${vi.common.class} ${r.className}`}</span>
              {matrix.subjects.map(([code, name]) => (
                <span className="card-meta" key={code}>{`${name}: ${(r.cells[code] ?? []).join(', ') || vi.common.none}`}</span>
              ))}
            </>
          )}
          scroll={{ x: 120 + matrix.subjects.length * 150 }}
          columns={[
            { title: t.class, dataIndex: 'className', width: 90, fixed: 'left' },
            ...matrix.subjects.map(([code, name]) => ({
              title: name,
              key: code,
              width: 150,
              render: (_: unknown, r: { cells: Record<string, string[]> }) => (r.cells[code] ?? []).join(', ') || vi.common.none,
            })),
          ]}
        />
      )}
      {year !== null ? <AddAssignmentModal schoolId={schoolId} year={year} term={term} open={adding} onClose={() => setAdding(false)} /> : null}
    </>
  );
}

function AddAssignmentModal({ schoolId, year, term, open, onClose }: { schoolId: string; year: number; term: number; open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<{ term: number; classId: string; subjectCode: string; staffId: string }>();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const classes = useClasses(schoolId, year);
  const staff = useStaffDirectory(schoolId);
  const classId = Form.useWatch('classId', form);
  const grade = classes.data?.find((c) => c.id === classId)?.grade;
  const subjects = useSubjects(schoolId, year, grade ?? null);
  const m = useMutation({
    mutationFn: (v: { term: number; classId: string; subjectCode: string; staffId: string }) => api.post<Assignment, CreateAssignment>(`/schools/${schoolId}/assignments`, { ...v, year }),
    onSuccess: () => {
      message.success(vi.common.saved);
      void qc.invalidateQueries({ queryKey: ['assignments', schoolId] });
      onClose();
    },
    onError: (e) => message.error(errorText(e)),
  });
  return (
    <Modal
      open={open}
      title={t.addTitle}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={vi.common.save}
      cancelText={vi.common.cancel}
      confirmLoading={m.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={{ term }} onFinish={(v) => m.mutate(v)} requiredMark={false}>
        <Form.Item name="term" label={vi.common.term} rules={[{ required: true }]}>
          <Select options={[1, 2].map((x) => ({ value: x, label: vi.common.terms[x] }))} />
        </Form.Item>
        <Form.Item name="classId" label={t.class} rules={[{ required: true }]}>
          <Select
            showSearch={foldSearch}
            loading={classes.isLoading}
            options={(classes.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
            onChange={() => form.setFieldValue('subjectCode', undefined)}
          />
        </Form.Item>
        <Form.Item name="subjectCode" label={t.subject} rules={[{ required: true }]} extra={!classId ? t.pickClassFirst : undefined}>
          <Select
            showSearch={foldSearch}
            disabled={!classId}
            loading={subjects.isLoading && !!classId}
            options={(subjects.data ?? [])
              .filter((s) => s.isTaught && (grade === undefined || s.grade === grade))
              .map((s) => ({ value: s.subjectCode, label: s.subjectName }))}
          />
        </Form.Item>
        <Form.Item name="staffId" label={t.teacher} rules={[{ required: true }]}>
          <Select
            showSearch={foldSearch}
            loading={staff.isLoading}
            options={(staff.data ?? []).map((s) => ({ value: s.id, label: s.fullName }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
