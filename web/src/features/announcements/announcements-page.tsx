import { PaperClipOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Drawer, Empty, Flex, Form, Input, Modal, Radio, Select, Space, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { useRef, useState } from 'react';
import type { z } from 'zod';
import type { TAnnouncementDetail, TAnnouncementInput, ZAnnouncementItem, ZAnnouncementList, ZRemindResult } from '../../../../contracts/announcements';
import { ANNOUNCEMENT_LIMITS } from '../../../../contracts/announcements';
import { API_BASE, api, errorText, request } from '../../api/client';
import { fmtDateTime } from '../../components/format';
import { VnDatePicker } from '../../components/lazy-date-picker';
import { PageHeader } from '../../components/page-header';
import { QueryError } from '../../components/query-error';
import { ResponsiveList, useWide } from '../../components/responsive-list';
import { setQuery, useRoute } from '../../router';
import { useSession } from '../auth/session';
import { fileSize, staffText as t } from './announcements-text';
import './family-announcements.css';

type List = z.infer<typeof ZAnnouncementList>;
type Item = z.infer<typeof ZAnnouncementItem>;
type Options = List['options'];

const STATUS_COLOR: Record<string, string> = { draft: 'default', scheduled: 'gold', sent: 'green', cancelled: 'red' };
const SCHOOL_SENDERS = ['principal', 'school_staff', 'homeroom_teacher'];
const OFFICE_SENDERS = ['province_officer', 'district_officer'];

/**
 * "Gửi thông báo": the sender's announcements (a school's, or an office's) with their read counts;
 * compose with the audiences the role may address, attach files, send now or at a time, cancel or
 * edit before it goes, and per announcement the families that have not read it and a reminder.
 */
export function AnnouncementsPage() {
  const s = useSession();
  const school = s.school;
  const atSchool = !!school && s.me.grants.some((g) => SCHOOL_SENDERS.includes(g.role) && g.orgUnitId === school.id);
  const office = s.me.grants.find((g) => OFFICE_SENDERS.includes(g.role));
  const unitId = atSchool && school ? school.id : (office?.orgUnitId ?? null);
  if (!unitId) {
    return (
      <>
        <PageHeader title={t.pageTitle} />
        <Card>
          <Empty description={t.noUnit} />
        </Card>
      </>
    );
  }
  return <UnitAnnouncements unitId={unitId} key={unitId} />;
}

/** The time that goes with the status: sent, to be sent, or written (a draft, a cancelled one). */
const timeOf = (a: Item) => (a.status === 'sent' && a.sentAt ? a.sentAt : a.status === 'scheduled' && a.sendAt ? a.sendAt : a.createdAt);
const whenOf = (a: Item) => (a.status === 'sent' && a.sentAt ? t.sentAt : a.status === 'scheduled' && a.sendAt ? t.scheduledAt : t.createdAt)(fmtDateTime(timeOf(a)));
const readOf = (a: Item) => (a.counts ? [a.counts.students ? t.readOf(a.counts.read, a.counts.students) : null, a.counts.staff ? t.staffReadOf(a.counts.staffRead, a.counts.staff) : null].filter(Boolean).join(' · ') : '—');

function UnitAnnouncements({ unitId }: { unitId: string }) {
  const { query } = useRoute();
  const openId = query.get('id');
  const [composing, setComposing] = useState(false);
  const list = useQuery({ queryKey: ['announcements', unitId], queryFn: ({ signal }) => api.get<List>(`/org-units/${unitId}/announcements`, undefined, signal) });
  const columns: TableColumnsType<Item> = [
    { key: 'title', title: t.colTitle, render: (_, a) => <strong style={{ overflowWrap: 'anywhere' }}>{a.title}</strong> },
    { key: 'status', title: t.colStatus, render: (_, a) => <Tag color={STATUS_COLOR[a.status]}>{t.statuses[a.status]}</Tag>, width: 130 },
    { key: 'audience', title: t.colAudience, render: (_, a) => a.audienceText },
    { key: 'when', title: t.colWhen, render: (_, a) => fmtDateTime(timeOf(a)), width: 170 },
    { key: 'read', title: t.colRead, render: (_, a) => readOf(a), width: 170 },
  ];
  return (
    <>
      <PageHeader
        title={t.pageTitle}
        subtitle={list.data?.options.unitName}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setComposing(true)} data-testid="announcement-compose" disabled={!list.data}>
            {t.compose}
          </Button>
        }
      />
      {list.isError ? <QueryError error={list.error} onRetry={() => list.refetch()} /> : null}
      <ResponsiveList<Item>
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        columns={columns}
        locale={{ emptyText: t.empty }}
        onOpen={(a) => setQuery({ id: a.id })}
        itemTestId="announcement-item"
        card={(a) => (
          <div data-testid="announcement-card">
            <strong style={{ overflowWrap: 'anywhere' }}>{a.title}</strong>
            <div>
              <Tag color={STATUS_COLOR[a.status]}>{t.statuses[a.status]}</Tag> {whenOf(a)}
            </div>
            <div className="ann-meta">{a.audienceText}</div>
            {a.counts ? <div className="ann-meta">{t.readOnCard(readOf(a))}</div> : null}
          </div>
        )}
        pagination={false}
      />
      {list.data ? <ComposeModal unitId={unitId} options={list.data.options} open={composing} onClose={() => setComposing(false)} onSaved={(id) => setQuery({ id })} /> : null}
      {openId && list.data ? <DetailDrawer unitId={unitId} id={openId} options={list.data.options} /> : null}
    </>
  );
}

type FormValues = { title: string; body: string; families: boolean; students: boolean; staff: boolean; scope: 'all' | 'classes'; classIds: string[]; schoolIds: string[] };

function ComposeModal({ unitId, options, open, onClose, onSaved, editing }: { unitId: string; options: Options; open: boolean; onClose: () => void; onSaved: (id: string) => void; editing?: TAnnouncementDetail }) {
  const [form] = Form.useForm<FormValues>();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const school = options.unitKind === 'school';
  const teacherOnly = school && !options.wholeSchool;
  const initial: FormValues = editing
    ? { title: editing.title, body: editing.body, families: editing.audience.families, students: editing.audience.students, staff: editing.audience.staff, scope: editing.audience.classIds.length ? 'classes' : 'all', classIds: editing.audience.classIds, schoolIds: editing.audience.schoolIds }
    : { title: '', body: '', families: true, students: false, staff: false, scope: teacherOnly ? 'classes' : 'all', classIds: teacherOnly && options.classes.length === 1 ? [options.classes[0].id] : [], schoolIds: [] };
  const scope = Form.useWatch('scope', form) ?? initial.scope;
  const m = useMutation({
    mutationFn: (v: FormValues) => {
      const body: TAnnouncementInput = {
        title: v.title,
        body: v.body,
        audience: { families: v.families, students: v.students, staff: !teacherOnly && v.staff, classIds: school && (teacherOnly || v.scope === 'classes') ? v.classIds : [], schoolIds: school ? [] : v.schoolIds },
      };
      return editing ? api.put<TAnnouncementDetail, TAnnouncementInput>(`/org-units/${unitId}/announcements/${editing.id}`, body) : api.post<TAnnouncementDetail, TAnnouncementInput>(`/org-units/${unitId}/announcements`, body);
    },
    onSuccess: (a) => {
      void message.success(t.saved);
      void qc.invalidateQueries({ queryKey: ['announcements', unitId] });
      qc.setQueryData(['announcement', unitId, a.id], a);
      form.resetFields();
      onClose();
      onSaved(a.id);
    },
  });
  return (
    <Modal open={open} title={editing ? t.edit : t.compose} onCancel={onClose} okText={t.saveDraft} cancelText={t.cancel} onOk={() => form.submit()} confirmLoading={m.isPending} destroyOnHidden width={640}>
      {m.isError ? <Alert type="error" showIcon title={errorText(m.error)} style={{ marginBottom: 12 }} data-testid="announcement-error" /> : null}
      <Form form={form} layout="vertical" initialValues={initial} onFinish={(v) => m.mutate(v)} requiredMark={false}>
        <Form.Item name="title" label={t.titleLabel} rules={[{ required: true, whitespace: true, message: 'Hãy nhập tiêu đề.' }, { max: ANNOUNCEMENT_LIMITS.title }]}>
          <Input maxLength={ANNOUNCEMENT_LIMITS.title} showCount data-testid="announcement-title" />
        </Form.Item>
        <Form.Item name="body" label={t.bodyLabel} extra={t.bodyHelp} rules={[{ required: true, whitespace: true, message: 'Hãy nhập nội dung thông báo.' }]}>
          <Input.TextArea rows={6} maxLength={ANNOUNCEMENT_LIMITS.body} showCount data-testid="announcement-body" />
        </Form.Item>
        <Form.Item label={t.audience} required style={{ marginBottom: 8 }}>
          <Space wrap>
            <Form.Item name="families" valuePropName="checked" noStyle>
              <Checkbox data-testid="announcement-families">{t.families}</Checkbox>
            </Form.Item>
            <Form.Item name="students" valuePropName="checked" noStyle>
              <Checkbox>{t.students}</Checkbox>
            </Form.Item>
            {teacherOnly ? null : (
              <Form.Item name="staff" valuePropName="checked" noStyle>
                <Checkbox>{t.staff}</Checkbox>
              </Form.Item>
            )}
          </Space>
        </Form.Item>
        {school && !teacherOnly ? (
          <Form.Item name="scope" label={t.scope}>
            <Radio.Group options={[{ value: 'all', label: t.wholeSchool }, { value: 'classes', label: t.someClasses }]} />
          </Form.Item>
        ) : null}
        {school && (teacherOnly || scope === 'classes') ? (
          <Form.Item name="classIds" label={t.classes} rules={[{ required: true, type: 'array', min: 1, message: 'Hãy chọn ít nhất một lớp.' }]}>
            <Select mode="multiple" placeholder={t.pickClasses} options={options.classes.map((c) => ({ value: c.id, label: c.name }))} optionFilterProp="label" data-testid="announcement-classes" />
          </Form.Item>
        ) : null}
        {!school ? (
          <Form.Item name="schoolIds" label={t.schools} extra={t.allSchools}>
            <Select mode="multiple" options={options.schools.map((x) => ({ value: x.id, label: x.name }))} optionFilterProp="label" />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}

/** A date (yyyy-mm-dd) and a time "7:30" / "07:30" on Vietnam's wall clock as an instant with its +07:00 offset; null when the time is not one. */
function vnInstant(date: string | null, time: string): string | null {
  const m = /^\s*(\d{1,2})[:hg.](\d{2})\s*$/.exec(time);
  if (!date || !m || Number(m[1]) > 23 || Number(m[2]) > 59) return null;
  return `${date}T${m[1].padStart(2, '0')}:${m[2]}:00+07:00`;
}

function DetailDrawer({ unitId, id, options }: { unitId: string; id: string; options: Options }) {
  const qc = useQueryClient();
  const { message, modal } = App.useApp();
  const wide = useWide('md');
  const [editing, setEditing] = useState(false);
  const [day, setDay] = useState<string | null>(null);
  const [time, setTime] = useState('07:00');
  const fileInput = useRef<HTMLInputElement>(null);
  const base = `/org-units/${unitId}/announcements/${id}`;
  const q = useQuery({ queryKey: ['announcement', unitId, id], queryFn: ({ signal }) => api.get<TAnnouncementDetail>(base, undefined, signal) });
  const done = (a: TAnnouncementDetail, text: string) => {
    void message.success(text);
    qc.setQueryData(['announcement', unitId, id], a);
    void qc.invalidateQueries({ queryKey: ['announcements', unitId] });
  };
  const act = useMutation({
    mutationFn: (what: { kind: 'send'; sendAt: string | null } | { kind: 'cancel' } | { kind: 'remove'; fileId: string } | { kind: 'upload'; file: File }) => {
      if (what.kind === 'send') return api.post<TAnnouncementDetail, { sendAt: string | null }>(`${base}/send`, { sendAt: what.sendAt });
      if (what.kind === 'cancel') return api.post<TAnnouncementDetail>(`${base}/cancel`);
      if (what.kind === 'remove') return api.del<TAnnouncementDetail>(`${base}/attachments/${what.fileId}`);
      const fd = new FormData();
      fd.append('file', what.file);
      return request<TAnnouncementDetail>('POST', `${base}/attachments`, { body: fd });
    },
    onSuccess: (a, what) => done(a, what.kind === 'send' ? (what.sendAt ? t.scheduled : t.sent) : what.kind === 'cancel' ? t.cancelled : what.kind === 'upload' ? t.attached : t.removed),
  });
  const remind = useMutation({
    mutationFn: () => api.post<z.infer<typeof ZRemindResult>>(`${base}/remind`),
    onSuccess: (r) => {
      void message.success(t.reminded(r.reminded));
      void q.refetch();
    },
  });
  const a = q.data;
  const editable = !!a?.canManage;
  return (
    <Drawer open onClose={() => setQuery({ id: undefined })} width={wide ? 720 : '100%'} title={a?.title ?? t.title} destroyOnHidden>
      {q.isError ? <QueryError error={q.error} onRetry={() => q.refetch()} /> : null}
      {act.isError ? <Alert type="error" showIcon title={errorText(act.error)} style={{ marginBottom: 12 }} data-testid="announcement-error" /> : null}
      {remind.isError ? <Alert type="error" showIcon title={errorText(remind.error)} style={{ marginBottom: 12 }} /> : null}
      {a ? (
        <div data-testid="announcement-detail">
          <p>
            <Tag color={STATUS_COLOR[a.status]}>{t.statuses[a.status]}</Tag> {whenOf(a)}
          </p>
          <p className="ann-meta">
            {t.audience}: {a.audienceText} · {t.author}: {a.authorName}
          </p>
          <p className="ann-body">{a.body}</p>
          {a.attachments.length ? (
            <ul className="ann-files">
              {a.attachments.map((f) => (
                <li key={f.id}>
                  <a href={`${API_BASE}${base}/attachments/${f.id}`} download={f.fileName}>
                    {f.fileName}
                  </a>{' '}
                  <span className="ann-meta" style={{ display: 'inline' }}>
                    ({fileSize(f.sizeBytes)})
                  </span>
                  {editable ? (
                    <Button type="link" danger size="small" onClick={() => act.mutate({ kind: 'remove', fileId: f.id })} aria-label={t.removeFile(f.fileName)}>
                      ✕
                    </Button>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : null}
          {editable ? (
            <Card size="small" style={{ margin: '12px 0' }}>
              <Flex vertical gap={12}>
                <div>
                  <input
                    ref={fileInput}
                    type="file"
                    hidden
                    accept=".pdf,.png,.jpg,.jpeg,.webp,.docx,.xlsx"
                    onChange={(e) => {
                      const f = e.target.files?.[0];
                      if (f) act.mutate({ kind: 'upload', file: f });
                      e.target.value = '';
                    }}
                    data-testid="announcement-file"
                  />
                  <Button icon={<PaperClipOutlined />} onClick={() => fileInput.current?.click()} disabled={a.attachments.length >= ANNOUNCEMENT_LIMITS.files}>
                    {t.attach}
                  </Button>
                  <div className="ann-meta">{t.attachHelp}</div>
                </div>
                <Flex wrap gap={8}>
                  <Button
                    type="primary"
                    loading={act.isPending}
                    onClick={() => void modal.confirm({ title: t.sendNow, content: t.confirmSend, okText: t.sendNow, cancelText: t.cancel, onOk: () => act.mutateAsync({ kind: 'send', sendAt: null }) })}
                    data-testid="announcement-send"
                  >
                    {t.sendNow}
                  </Button>
                  <Button onClick={() => setEditing(true)}>{t.edit}</Button>
                  <Button danger onClick={() => void modal.confirm({ title: t.cancelAnnouncement, content: t.confirmCancel, okText: t.cancelAnnouncement, cancelText: t.cancel, okButtonProps: { danger: true }, onOk: () => act.mutateAsync({ kind: 'cancel' }) })}>
                    {t.cancelAnnouncement}
                  </Button>
                </Flex>
                <Flex wrap gap={8} align="center">
                  <span>{t.scheduleAt}</span>
                  <VnDatePicker value={day} onChange={setDay} style={{ width: 150 }} aria-label={t.scheduleDay} />
                  <Input value={time} onChange={(e) => setTime(e.target.value)} style={{ width: 90 }} aria-label={t.scheduleTime} placeholder="07:00" inputMode="numeric" />
                  <Button
                    onClick={() => {
                      const sendAt = vnInstant(day, time);
                      if (sendAt) act.mutate({ kind: 'send', sendAt });
                      else void message.warning(t.pickTime);
                    }}
                  >
                    {t.schedule}
                  </Button>
                </Flex>
              </Flex>
            </Card>
          ) : null}
          {a.status === 'sent' && a.counts ? (
            <Card size="small" title={t.counts} style={{ marginTop: 12 }} data-testid="announcement-receipts">
              {a.counts.students ? <p data-testid="announcement-read-count">{t.familiesRead(a.counts.read, a.counts.students, a.counts.linked)}</p> : null}
              {a.counts.staff ? <p>{t.staffRead(a.counts.staffRead, a.counts.staff)}</p> : null}
              <div style={{ marginBottom: 12 }}>
                <Button onClick={() => remind.mutate()} loading={remind.isPending}>
                  {t.remind}
                </Button>
              </div>
              {a.counts.students ? (
                <>
                  <UnreadList title={t.unreadLinked} rows={a.unread.filter((u) => u.linked)} office={options.unitKind === 'office'} testId="announcement-unread" none={t.unreadNone} />
                  <UnreadList title={t.unreadNotLinked} rows={a.unread.filter((u) => !u.linked)} office={options.unitKind === 'office'} testId="announcement-not-linked" />
                  {a.unreadTruncated ? <p className="ann-meta">{t.truncated}</p> : null}
                </>
              ) : null}
            </Card>
          ) : a.status !== 'sent' ? (
            <p className="ann-meta">{t.notSentYet}</p>
          ) : null}
          {editing ? <ComposeModal unitId={unitId} options={options} open onClose={() => setEditing(false)} onSaved={() => void q.refetch()} editing={a} /> : null}
        </div>
      ) : null}
    </Drawer>
  );
}

type Unread = TAnnouncementDetail['unread'][number];

/** Families that have not read it: those with an account (a reminder reaches them), then those without one (the school contacts them another way). */
function UnreadList({ title, rows, office, testId, none }: { title: string; rows: Unread[]; office: boolean; testId: string; none?: string }) {
  if (rows.length === 0 && !none) return null;
  return (
    <div style={{ marginBottom: 8 }}>
      <div>
        <strong>{`${title} (${rows.length})`}</strong>
      </div>
      {rows.length === 0 ? (
        <p className="ann-meta">{none}</p>
      ) : (
        <ul className="ann-files" data-testid={testId}>
          {rows.map((u) => (
            <li key={u.studentId}>
              {u.fullName}
              {u.className ? ` — ${u.className}` : ''}
              {office ? ` — ${u.schoolName}` : ''}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
