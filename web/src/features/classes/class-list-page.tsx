import { DownloadOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Checkbox, Col, Form, Input, InputNumber, Modal, Row, Segmented, Select, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { api, downloadFile, errorText } from '../../api/client';
import { useClasses, useStaffDirectory } from '../../api/hooks';
import type { ClassItem, CreateClass, UpdateClass } from '../../api/types';
import { fmtNum } from '../../components/format';
import { PageHeader } from '../../components/page-header';
import { ResponsiveList } from '../../components/responsive-list';
import { QueryError } from '../../components/query-error';
import { SchoolYearSelect } from '../../components/school-year-select';
import { foldSearch } from '../../components/select-search';
import { vi } from '../../i18n/vi';
import { navigate, setQuery, useRoute } from '../../router';
import { useSession } from '../auth/session';
import { RequireSchool } from '../layout/require-school';

const t = vi.classes;
const ts = vi.teacherScope;
const collator = new Intl.Collator('vi', { numeric: true });

export function ClassListPage() {
  return <RequireSchool>{(schoolId) => <Classes schoolId={schoolId} key={schoolId} />}</RequireSchool>;
}

function Classes({ schoolId }: { schoolId: string }) {
  const session = useSession();
  const { message } = App.useApp();
  const [year, setYear] = useState<number | null>(null);
  const [grade, setGrade] = useState<number | undefined>();
  const classes = useClasses(schoolId, year, undefined);
  const [editing, setEditing] = useState<ClassItem | 'new' | null>(null);
  const [exporting, setExporting] = useState(false);
  // A teacher reads the students of their own classes (the server says which, per class): the
  // list opens on those, and the school's other classes are a directory one toggle away.
  const { query } = useRoute();
  const teacherView = (classes.data ?? []).some((c) => c.access !== 'full');
  const showAll = !teacherView || query.get('tat-ca') === '1';
  const own = (classes.data ?? []).filter((c) => c.access !== 'none');

  const grades = useMemo(() => [...new Set((classes.data ?? []).map((c) => c.grade))].sort((a, b) => a - b), [classes.data]);
  const rows = useMemo(
    () =>
      (classes.data ?? [])
        .filter((c) => (grade === undefined || c.grade === grade) && (showAll || c.access !== 'none'))
        .sort((a, b) => a.grade - b.grade || collator.compare(a.name, b.name)),
    [classes.data, grade, showAll],
  );
  const totals = rows.reduce((acc, c) => ({ s: acc.s + (c.studentCount ?? 0), m: acc.m + (c.maleCount ?? 0), f: acc.f + (c.femaleCount ?? 0) }), { s: 0, m: 0, f: 0 });
  const counted = (n: number | null) => <span className="num">{n === null ? null : fmtNum(n)}</span>;
  // A class that is not theirs says so once, across the three count columns.
  const notYours = (r: ClassItem, first: boolean) => (r.access === 'none' ? { colSpan: first ? 3 : 0 } : {});

  const columns: TableColumnsType<ClassItem> = [
    {
      title: t.name,
      dataIndex: 'name',
      width: 150,
      render: (v: string, r) => (
        <>
          {r.access === 'none' ? v : <span className="link-text">{v}</span>}
          <MineTag c={r} />
        </>
      ),
    },
    { title: t.grade, dataIndex: 'grade', width: 70, render: (g: number, r) => (r.ageGroup ? r.ageGroup : g) },
    { title: t.homeroom, dataIndex: 'homeroomTeacherName', render: (v: string | null) => v ?? <Typography.Text type="secondary">{vi.common.none}</Typography.Text> },
    {
      title: t.size,
      dataIndex: 'studentCount',
      width: 80,
      align: 'right',
      onCell: (r) => notYours(r, true),
      render: (n: number | null, r) =>
        r.access === 'none' ? (
          <Typography.Text type="secondary" data-testid="class-not-yours">
            {ts.notYours}
          </Typography.Text>
        ) : (
          counted(n)
        ),
    },
    { title: t.male, dataIndex: 'maleCount', width: 70, align: 'right', onCell: (r) => notYours(r, false), render: counted },
    { title: t.female, dataIndex: 'femaleCount', width: 70, align: 'right', onCell: (r) => notYours(r, false), render: counted },
    {
      title: t.session,
      dataIndex: 'session',
      width: 110,
      render: (v: string, r) => (
        <>
          {vi.sessions[v] ?? v}
          {r.isMultiGrade ? <Typography.Text type="secondary">{` · ${t.multiGrade.toLowerCase()}`}</Typography.Text> : null}
        </>
      ),
    },
    ...(session.canWrite
      ? [
          {
            title: '',
            key: 'act',
            width: 56,
            render: (_: unknown, r: ClassItem) => (
              <Button
                type="text"
                aria-label={vi.common.edit}
                icon={<EditOutlined />}
                onClick={(e) => {
                  e.stopPropagation();
                  setEditing(r);
                }}
              />
            ),
          },
        ]
      : []),
  ];

  // Shows its own errors: nothing is left to reject.
  const exportExcel = async () => {
    setExporting(true);
    try {
      await downloadFile(`/schools/${schoolId}/classes/export.xlsx`, { year, grade }, 'lop-hoc.xlsx');
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setExporting(false);
    }
  };

  return (
    <>
      <PageHeader
        title={t.title}
        subtitle={
          !classes.data
            ? undefined
            : !teacherView
              ? `${t.count(fmtNum(rows.length))} · ${vi.students.count(fmtNum(totals.s))}`
              : showAll
                ? ts.allCount(fmtNum(classes.data.length), fmtNum(own.length))
                : ts.mineCount(fmtNum(own.length), fmtNum(own.reduce((n, c) => n + (c.studentCount ?? 0), 0)))
        }
        extra={
          <>
            {session.canWrite ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
                {t.add}
              </Button>
            ) : null}
            <Button
              icon={<DownloadOutlined />}
              loading={exporting}
              onClick={() => void exportExcel()}
            >
              {vi.common.exportExcel}
            </Button>
          </>
        }
      />
      <div className="filters">
        {teacherView ? (
          <Segmented
            data-testid="class-scope"
            value={showAll ? 'all' : 'mine'}
            options={[
              { value: 'mine', label: ts.mine },
              { value: 'all', label: ts.allClasses },
            ]}
            onChange={(v) => setQuery({ 'tat-ca': v === 'all' ? '1' : undefined })}
          />
        ) : null}
        <SchoolYearSelect schoolId={schoolId} value={year} onChange={setYear} className="f-200" />
        <Select
          className="f-160"
          allowClear
          placeholder={vi.common.grade}
          aria-label={vi.common.grade}
          value={grade}
          options={grades.map((g) => ({ value: g, label: vi.common.gradeN(g) }))}
          onChange={setGrade}
        />
        <Typography.Text type="secondary">{teacherView && showAll ? ts.allNote : t.clickHint}</Typography.Text>
      </div>
      {classes.isError ? <QueryError error={classes.error} onRetry={() => classes.refetch()} /> : null}
      <ResponsiveList<ClassItem>
        size="small"
        bordered
        rowKey="id"
        loading={classes.isLoading}
        columns={columns}
        dataSource={rows}
        pagination={false}
        locale={teacherView && !showAll ? { emptyText: ts.none } : undefined}
        rowClassName={(r) => (r.access === 'none' ? 'row-directory' : '')}
        onOpen={(r) => navigate(`/hoc-sinh?lop=${r.id}${year ? `&nam=${year}` : ''}`)}
        canOpen={(r) => r.access !== 'none'}
        card={(r) => (
          <>
            <span className="card-title">
              {`${vi.common.class} ${r.name}`}
              <MineTag c={r} />
            </span>
            <span className="card-meta">
              <span>{r.homeroomTeacherName ?? vi.common.none}</span>
              {r.access === 'none' ? (
                <span data-testid="class-not-yours">{ts.notYours}</span>
              ) : (
                <span className="num">{vi.students.count(fmtNum(r.studentCount ?? 0))}</span>
              )}
            </span>
          </>
        )}
        cardActions={
          session.canWrite
            ? (r) => (
                <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(r)}>
                  {vi.common.edit}
                </Button>
              )
            : undefined
        }
        cardFooter={rows.length && !teacherView ? `${vi.common.total}: ${vi.students.count(fmtNum(totals.s))} (${t.male.toLowerCase()} ${fmtNum(totals.m)}, ${t.female.toLowerCase()} ${fmtNum(totals.f)})` : undefined}
        summary={() =>
          rows.length ? (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={3}>
                <strong>{vi.common.total}</strong>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={3} align="right">
                <strong className="num">{fmtNum(totals.s)}</strong>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={4} align="right">
                <span className="num">{fmtNum(totals.m)}</span>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={5} align="right">
                <span className="num">{fmtNum(totals.f)}</span>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={6} colSpan={session.canWrite ? 2 : 1} />
            </Table.Summary.Row>
          ) : null
        }
      />
      {year !== null ? <ClassFormModal schoolId={schoolId} year={year} value={editing} onClose={() => setEditing(null)} /> : null}
    </>
  );
}

/** "Chủ nhiệm" / "Đang dạy" beside a class that is the teacher's own. */
function MineTag({ c }: { c: ClassItem }) {
  if (c.access !== 'homeroom' && c.access !== 'teaching') return null;
  return (
    <Tag color={c.access === 'homeroom' ? 'blue' : 'green'} style={{ marginInlineStart: 6 }} data-testid="class-mine">
      {ts[c.access]}
    </Tag>
  );
}

type ClassValues = { name: string; grade: number; homeroomTeacherId?: string | null; session: 'morning' | 'afternoon' | 'full_day'; isMultiGrade: boolean };

function ClassFormModal({ schoolId, year, value, onClose }: { schoolId: string; year: number; value: ClassItem | 'new' | null; onClose: () => void }) {
  const [form] = Form.useForm<ClassValues>();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const staff = useStaffDirectory(value ? schoolId : null);
  const editing = value && value !== 'new' ? value : null;

  useEffect(() => {
    if (!value) return;
    form.resetFields();
    if (editing)
      form.setFieldsValue({
        name: editing.name,
        grade: editing.grade,
        homeroomTeacherId: editing.homeroomTeacherId,
        session: editing.session,
        isMultiGrade: editing.isMultiGrade,
      });
    else form.setFieldsValue({ session: 'full_day', isMultiGrade: false });
  }, [value, editing, form]);

  const save = useMutation({
    mutationFn: (v: ClassValues) => {
      const body = { ...v, name: v.name.trim(), homeroomTeacherId: v.homeroomTeacherId ?? null };
      return editing ? api.patch<ClassItem, UpdateClass>(`/schools/${schoolId}/classes/${editing.id}`, body) : api.post<ClassItem, CreateClass>(`/schools/${schoolId}/classes`, { ...body, year });
    },
    onSuccess: () => {
      message.success(vi.common.saved);
      void qc.invalidateQueries({ queryKey: ['classes', schoolId] });
      onClose();
    },
    onError: (e) => message.error(errorText(e)),
  });

  return (
    <Modal
      open={!!value}
      title={editing ? `${t.editTitle} ${editing.name}` : t.addTitle}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={vi.common.save}
      cancelText={vi.common.cancel}
      confirmLoading={save.isPending}
      forceRender
    >
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)} requiredMark="optional">
        <Row gutter={12}>
          <Col xs={14}>
            <Form.Item name="name" label={t.name} rules={[{ required: true, whitespace: true }]}>
              <Input maxLength={20} placeholder="6A1" aria-label="6A1" />
            </Form.Item>
          </Col>
          <Col xs={10}>
            <Form.Item name="grade" label={t.grade} rules={[{ required: true }]}>
              <InputNumber min={0} max={12} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="homeroomTeacherId" label={t.homeroomLong}>
          <Select
            allowClear
            showSearch={foldSearch}
            loading={staff.isLoading}
            options={(staff.data ?? []).map((x) => ({ value: x.id, label: x.fullName }))}
          />
        </Form.Item>
        <Form.Item name="session" label={t.session}>
          <Select options={Object.entries(vi.sessions).map(([v, l]) => ({ value: v, label: l }))} />
        </Form.Item>
        <Form.Item name="isMultiGrade" valuePropName="checked">
          <Checkbox>{t.multiGrade}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}
