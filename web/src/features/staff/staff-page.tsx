import { DownloadOutlined, EditOutlined, PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, Col, Descriptions, Drawer, Form, Input, Modal, Row, Select, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { api, downloadFile, errorText } from '../../api/client';
import { useCodeList, useReferenceSubjects, useStaff, useStaffDirectory } from '../../api/hooks';
import { ZCreateStaff } from '../../../../contracts/school';
import type { CreateStaff, Staff, StaffDirectoryEntry, UpdateStaff } from '../../api/types';
import { fmtDate, fmtNum } from '../../components/format';
import { PageHeader } from '../../components/page-header';
import { ResponsiveList } from '../../components/responsive-list';
import { QueryError } from '../../components/query-error';
import { foldSearch } from '../../components/select-search';
import { useDebounced } from '../../components/use-debounced';
import { contractRule, dateOfBirthRule } from '../../components/field-rules';
import { VnDatePicker } from '../../components/lazy-date-picker';
import { vi } from '../../i18n/vi';
import { OFFICE_ROLES, type Session, useSession } from '../auth/session';
import { RequireSchool } from '../layout/require-school';

const t = vi.staff;
const rule = {
  fullName: contractRule(ZCreateStaff.shape.fullName, { required: true }),
  citizenId: contractRule(ZCreateStaff.shape.citizenId),
  phone: contractRule(ZCreateStaff.shape.phone),
  email: contractRule(ZCreateStaff.shape.email),
};

/**
 * Managers of the school and offices see the personal staff records; teachers see the staff
 * directory (name, position, subjects, the contact the school publishes). The server enforces the
 * same split (GET …/staff answers teachers 404); roles that read no school never get here (the
 * route gate in app.tsx shows them the no-permission page).
 */
export function StaffPage() {
  const session = useSession();
  return (
    <RequireSchool>
      {(schoolId) =>
        staffView(session, schoolId) === 'personal' ? <StaffList schoolId={schoolId} key={schoolId} /> : <StaffDirectory schoolId={schoolId} key={schoolId} />
      }
    </RequireSchool>
  );
}

function staffView(session: Session, schoolId: string): 'personal' | 'directory' {
  if (session.has(OFFICE_ROLES)) return 'personal';
  const here = session.me.grants.filter((g) => g.orgUnitId === schoolId).map((g) => g.role);
  if (here.includes('principal') || here.includes('school_staff')) return 'personal';
  return 'directory';
}

function StaffDirectory({ schoolId }: { schoolId: string }) {
  const { message } = App.useApp();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 250);
  const [position, setPosition] = useState<string | undefined>();
  const list = useStaffDirectory(schoolId, q || undefined, position);
  const [exporting, setExporting] = useState(false);
  const columns: TableColumnsType<StaffDirectoryEntry> = [
    { title: t.fullName, dataIndex: 'fullName', width: 190 },
    { title: t.position, dataIndex: 'position', width: 120, render: (v: string) => vi.positions[v] ?? v },
    {
      title: t.subjects,
      dataIndex: 'subjects',
      width: 180,
      render: (v: StaffDirectoryEntry['subjects']) => (v.length ? v.map((x) => x.name).join(', ') : vi.common.none),
    },
    { title: t.schoolContact, dataIndex: 'schoolContact', width: 220, render: (v: string | null) => v ?? <Typography.Text type="secondary">{t.noContact}</Typography.Text> },
  ];
  return (
    <>
      <PageHeader
        title={t.directoryTitle}
        subtitle={list.data ? t.count(fmtNum(list.data.length)) : undefined}
        extra={
          <Button
            icon={<DownloadOutlined />}
            loading={exporting}
            onClick={() => {
              setExporting(true);
              downloadFile(`/schools/${schoolId}/staff-directory/export.xlsx`, { q: q || undefined, position }, 'danh-ba-can-bo.xlsx')
                .catch((e: unknown) => message.error(errorText(e)))
                .finally(() => setExporting(false));
            }}
          >
            {vi.common.exportExcel}
          </Button>
        }
      />
      <Alert type="info" showIcon title={t.directoryNote} style={{ marginBottom: 12 }} />
      <div className="filters">
        <Input
          className="f-grow"
          allowClear
          prefix={<SearchOutlined />}
          placeholder={t.directorySearch}
          aria-label={t.directorySearch}
          value={text}
          onChange={(e) => setText(e.target.value)}
          data-testid="staff-directory-search"
        />
        <Select
          className="f-200"
          allowClear
          placeholder={t.position}
          aria-label={t.position}
          value={position}
          onChange={setPosition}
          options={Object.entries(vi.positions).map(([value, label]) => ({ value, label }))}
        />
      </div>
      {list.isError ? <QueryError error={list.error} onRetry={() => list.refetch()} /> : null}
      <ResponsiveList<StaffDirectoryEntry>
        size="small"
        bordered
        rowKey="id"
        loading={list.isFetching}
        columns={columns}
        dataSource={list.data ?? []}
        card={(r) => (
          <>
            <span className="card-title">{r.fullName}</span>
            <span className="card-meta">
              <span>{vi.positions[r.position] ?? r.position}</span>
              {r.subjects.length ? <span>{r.subjects.map((x) => x.name).join(', ')}</span> : null}
            </span>
            {r.schoolContact ? <span className="card-meta">{r.schoolContact}</span> : null}
          </>
        )}
        pagination={{ defaultPageSize: 50, showSizeChanger: true, pageSizeOptions: [20, 50, 100, 200], size: 'small', hideOnSinglePage: true }}
        data-testid="staff-directory"
      />
    </>
  );
}

function StaffList({ schoolId }: { schoolId: string }) {
  const session = useSession();
  const { message } = App.useApp();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 250);
  const [position, setPosition] = useState<string | undefined>();
  const [includeLeft, setIncludeLeft] = useState(false);
  const staff = useStaff(schoolId, q || undefined, position, includeLeft);
  const [editing, setEditing] = useState<Staff | 'new' | null>(null);
  const [showing, setShowing] = useState<Staff | null>(null);
  const [exporting, setExporting] = useState(false);
  const subjects = useReferenceSubjects();
  const subjectName = (code: string) => subjects.data?.find((x) => x.code === code)?.name ?? code;

  const subjectList = (v: string[]) => (v.length ? v.map(subjectName).join(', ') : vi.common.none);
  const statusTag = (v: string) => <Tag color={v === 'active' ? 'green' : 'default'}>{t.statuses[v] ?? v}</Tag>;
  // What fits beside the menu at 1366 px without sideways scrolling; the rest of a record is in
  // its drawer (a click on the row).
  const columns: TableColumnsType<Staff> = [
    {
      title: t.fullName,
      dataIndex: 'fullName',
      width: 200,
      render: (v: string, r) => (
        <>
          <span className="link-text">{v}</span>
          {r.staffCode ? <div className="list-desc num">{r.staffCode}</div> : null}
        </>
      ),
    },
    { title: t.position, dataIndex: 'position', width: 120, render: (v: string) => vi.positions[v] ?? v },
    {
      title: t.subjects,
      dataIndex: 'subjectCodes',
      ellipsis: { showTitle: false },
      render: (v: string[]) => (
        <Tooltip title={subjectList(v)} placement="topLeft">
          <span>{subjectList(v)}</span>
        </Tooltip>
      ),
    },
    { title: t.qualification, dataIndex: 'qualificationName', width: 140, ellipsis: true, render: (v: string | null) => v ?? vi.common.none },
    { title: t.phone, dataIndex: 'phone', width: 130, render: (v: string | null) => (v ? <a href={`tel:${v}`} onClick={(e) => e.stopPropagation()}>{v}</a> : vi.common.none) },
    { title: t.status, dataIndex: 'status', width: 110, render: statusTag },
    ...(session.canWrite
      ? [
          {
            title: <span className="sr-only">{vi.common.edit}</span>,
            key: 'act',
            width: 56,
            render: (_: unknown, r: Staff) => (
              <Button
                type="text"
                aria-label={`${vi.common.edit} ${r.fullName}`}
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
      await downloadFile(`/schools/${schoolId}/staff/export.xlsx`, { q: q || undefined, position, includeLeft }, 'can-bo.xlsx');
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
        subtitle={staff.data ? t.count(fmtNum(staff.data.length)) : undefined}
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
        <Input className="f-grow" allowClear prefix={<SearchOutlined />} placeholder={t.search} aria-label={t.search} value={text} onChange={(e) => setText(e.target.value)} data-testid="staff-search" />
        <Select
          className="f-200"
          allowClear
          placeholder={t.position}
          aria-label={t.position}
          value={position}
          onChange={setPosition}
          options={Object.entries(vi.positions).map(([value, label]) => ({ value, label }))}
        />
        <Checkbox checked={includeLeft} onChange={(e) => setIncludeLeft(e.target.checked)}>
          {t.includeLeft}
        </Checkbox>
      </div>
      {staff.isError ? <QueryError error={staff.error} onRetry={() => staff.refetch()} /> : null}
      <ResponsiveList<Staff>
        size="small"
        bordered
        rowKey="id"
        loading={staff.isFetching}
        columns={columns}
        dataSource={staff.data ?? []}
        tableFrom="xl"
        onOpen={setShowing}
        data-testid="staff-list"
        card={(r) => (
          <>
            <span className="card-title">{r.fullName}</span>
            <span className="card-meta">
              <span>{vi.positions[r.position] ?? r.position}</span>
              {r.subjectCodes.length ? <span>{subjectList(r.subjectCodes)}</span> : null}
              {r.status !== 'active' ? statusTag(r.status) : null}
            </span>
          </>
        )}
        pagination={{ defaultPageSize: 50, showSizeChanger: true, pageSizeOptions: [20, 50, 100, 200], size: 'small', hideOnSinglePage: true }}
      />
      <Drawer open={!!showing} onClose={() => setShowing(null)} title={showing?.fullName} size={420} data-testid="staff-details">
        {showing ? (
          <>
            <Descriptions column={1} size="small" bordered>
              <Descriptions.Item label={t.code}>{showing.staffCode ?? vi.common.none}</Descriptions.Item>
              <Descriptions.Item label={t.position}>{vi.positions[showing.position] ?? showing.position}</Descriptions.Item>
              <Descriptions.Item label={t.dateOfBirth}>{fmtDate(showing.dateOfBirth)}</Descriptions.Item>
              <Descriptions.Item label={t.sex}>{showing.sex ? vi.common.sex[showing.sex] : vi.common.none}</Descriptions.Item>
              <Descriptions.Item label={t.qualification}>{showing.qualificationName ?? vi.common.none}</Descriptions.Item>
              <Descriptions.Item label={t.contract}>{showing.contractTypeName ?? vi.common.none}</Descriptions.Item>
              <Descriptions.Item label={t.subjects}>{subjectList(showing.subjectCodes)}</Descriptions.Item>
              <Descriptions.Item label={t.phone}>{showing.phone ? <a href={`tel:${showing.phone}`}>{showing.phone}</a> : vi.common.none}</Descriptions.Item>
              <Descriptions.Item label={t.schoolContact}>{showing.schoolContact ?? vi.common.none}</Descriptions.Item>
              <Descriptions.Item label={t.status}>{statusTag(showing.status)}</Descriptions.Item>
            </Descriptions>
            {session.canWrite ? (
              <Button
                type="primary"
                icon={<EditOutlined />}
                style={{ marginTop: 16 }}
                onClick={() => {
                  setEditing(showing);
                  setShowing(null);
                }}
              >
                {vi.common.edit}
              </Button>
            ) : null}
          </>
        ) : null}
      </Drawer>
      <StaffFormModal schoolId={schoolId} value={editing} onClose={() => setEditing(null)} />
    </>
  );
}

type StaffValues = {
  fullName: string;
  staffCode?: string;
  dateOfBirth?: string | null;
  sex?: 'male' | 'female' | null;
  ethnicityCode?: string | null;
  citizenId?: string;
  phone?: string;
  email?: string;
  position: 'principal' | 'vice_principal' | 'teacher' | 'staff';
  qualificationCode?: string | null;
  contractTypeCode?: string | null;
  subjectCodes: string[];
  schoolContact?: string;
  status?: 'active' | 'left';
};

const blank = (s?: string | null) => (s && s.trim() ? s.trim() : null);

function StaffFormModal({ schoolId, value, onClose }: { schoolId: string; value: Staff | 'new' | null; onClose: () => void }) {
  const [form] = Form.useForm<StaffValues>();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const editing = value && value !== 'new' ? value : null;
  const qualifications = useCodeList('DM_TRINH_DO_CHUYEN_MON');
  const contracts = useCodeList('DM_HINH_THUC_HOP_DONG');
  const ethnicities = useCodeList('DM_DAN_TOC');
  const subjects = useReferenceSubjects();

  useEffect(() => {
    if (!value) return;
    form.resetFields();
    if (editing)
      form.setFieldsValue({
        fullName: editing.fullName,
        staffCode: editing.staffCode ?? undefined,
        dateOfBirth: editing.dateOfBirth,
        sex: editing.sex,
        phone: editing.phone ?? undefined,
        email: editing.email ?? undefined,
        position: editing.position,
        qualificationCode: editing.qualificationCode,
        contractTypeCode: editing.contractTypeCode,
        subjectCodes: editing.subjectCodes,
        schoolContact: editing.schoolContact ?? undefined,
        status: editing.status,
      });
    else form.setFieldsValue({ position: 'teacher', subjectCodes: [] });
  }, [value, editing, form]);

  const save = useMutation({
    mutationFn: (v: StaffValues) => {
      const body = {
        ...v,
        fullName: v.fullName.trim(),
        staffCode: blank(v.staffCode),
        citizenId: blank(v.citizenId),
        phone: blank(v.phone),
        email: blank(v.email),
        dateOfBirth: v.dateOfBirth ?? null,
        subjectCodes: v.subjectCodes ?? [],
        schoolContact: blank(v.schoolContact),
      };
      if (!editing) delete body.status;
      if (editing && !body.citizenId) delete (body as Partial<typeof body>).citizenId;
      return editing ? api.patch<Staff, UpdateStaff>(`/schools/${schoolId}/staff/${editing.id}`, body) : api.post<Staff, CreateStaff>(`/schools/${schoolId}/staff`, body);
    },
    onSuccess: () => {
      message.success(vi.common.saved);
      void qc.invalidateQueries({ queryKey: ['staff', schoolId] });
      void qc.invalidateQueries({ queryKey: ['staff-directory', schoolId] });
      onClose();
    },
    onError: (e) => message.error(errorText(e)),
  });

  const opts = (list?: { code: string; name: string }[]) => (list ?? []).map((x) => ({ value: x.code, label: x.name }));

  return (
    <Modal
      open={!!value}
      title={editing ? t.editTitle : t.addTitle}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={vi.common.save}
      cancelText={vi.common.cancel}
      confirmLoading={save.isPending}
      width={720}
      forceRender
    >
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)} requiredMark="optional" scrollToFirstError>
        <Row gutter={12}>
          <Col xs={24} md={12}>
            <Form.Item name="fullName" label={t.fullName} required rules={[rule.fullName]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="staffCode" label={t.code}>
              <Input maxLength={30} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="position" label={t.position} rules={[{ required: true }]}>
              <Select options={Object.entries(vi.positions).map(([v, l]) => ({ value: v, label: l }))} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="dateOfBirth" label={t.dateOfBirth} rules={[dateOfBirthRule(() => undefined, { required: false })]}>
              <VnDatePicker style={{ width: '100%' }} keepTypedText />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="sex" label={t.sex}>
              <Select allowClear options={[{ value: 'male', label: vi.common.sex.male }, { value: 'female', label: vi.common.sex.female }]} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="ethnicityCode" label={t.ethnicity}>
              <Select allowClear showSearch={foldSearch} options={opts(ethnicities.data)} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="citizenId" label={t.citizenId} rules={[rule.citizenId]}>
              <Input inputMode="numeric" maxLength={12} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="phone" label={t.phone} rules={[rule.phone]}>
              <Input inputMode="tel" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="email" label={t.email} rules={[rule.email]}>
              <Input inputMode="email" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="qualificationCode" label={t.qualification}>
              <Select allowClear showSearch={foldSearch} options={opts(qualifications.data)} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="contractTypeCode" label={t.contract}>
              <Select allowClear showSearch={foldSearch} options={opts(contracts.data)} />
            </Form.Item>
          </Col>
          <Col xs={24} md={editing ? 12 : 24}>
            <Form.Item name="subjectCodes" label={t.subjects}>
              <Select mode="multiple" showSearch={foldSearch} maxCount={10} options={opts(subjects.data)} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="schoolContact" label={t.schoolContact} extra={t.schoolContactHelp}>
              <Input maxLength={200} data-testid="staff-school-contact" />
            </Form.Item>
          </Col>
          {editing ? (
            <Col xs={24} md={12}>
              <Form.Item name="status" label={t.status}>
                <Select options={Object.entries(t.statuses).map(([v, l]) => ({ value: v, label: l }))} />
              </Form.Item>
            </Col>
          ) : null}
        </Row>
      </Form>
    </Modal>
  );
}
