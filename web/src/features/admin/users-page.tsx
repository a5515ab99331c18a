import { KeyOutlined, PlusOutlined, SearchOutlined, UnlockOutlined, UserAddOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Select, Space, Tag, Tooltip } from 'antd';
import type { TableColumnsType } from 'antd';
import { type ReactNode, useState } from 'react';
import { api, errorText } from '../../api/client';
import { useStaffDirectory, useUsers } from '../../api/hooks';
import { ZCreateUser, ZResetPassword } from '../../../../contracts/admin';
import { ROLES, TEACHER_ROLES } from '../../../../contracts/roles';
import type { AddGrant, CreateUser, Ok, OrgUnit, ResetPassword, Role, User } from '../../api/types';
import { fmtDateTime, fmtNum } from '../../components/format';
import { PageHeader } from '../../components/page-header';
import { ResponsiveList } from '../../components/responsive-list';
import { QueryError } from '../../components/query-error';
import { contractRule } from '../../components/field-rules';
import { foldSearch } from '../../components/select-search';
import { UnitSelect } from '../../components/unit-select';
import { useDebounced } from '../../components/use-debounced';
import { vi } from '../../i18n/vi';
import { useSession } from '../auth/session';

const t = vi.users;

// Which roles make sense at which kind of unit (the server checks again).
const ROLES_BY_KIND: Record<string, Role[]> = {
  ministry: ['system_admin'],
  province_office: ['system_admin', 'province_officer'],
  district_office: ['district_officer'],
  commune_office: ['district_officer'],
  school: ['principal', 'school_staff', 'homeroom_teacher', 'subject_teacher', 'parent', 'student'],
  school_site: ['principal', 'school_staff', 'homeroom_teacher', 'subject_teacher', 'parent', 'student'],
};
const roleOptions = (kind?: string) =>
  (kind ? (ROLES_BY_KIND[kind] ?? ROLES) : ROLES).map((r) => ({ value: r, label: vi.roleLabel(r) }));

export function UsersPage() {
  const session = useSession();
  const qc = useQueryClient();
  const { message, modal } = App.useApp();
  const [unit, setUnit] = useState<{ id: string; kind?: string } | null>(session.homeUnitId ? { id: session.homeUnitId, kind: session.school ? 'school' : undefined } : null);
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 250);
  const users = useUsers(unit?.id ?? null, q || undefined);
  const [creating, setCreating] = useState(false);
  const [granting, setGranting] = useState<User | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const invalidate = () => qc.invalidateQueries({ queryKey: ['users'] });

  const revoke = useMutation({
    mutationFn: ({ userId, grantId }: { userId: string; grantId: string }) => api.del<User>(`/users/${userId}/grants/${grantId}`),
    onSuccess: () => {
      message.success(vi.common.saved);
      void invalidate();
    },
    onError: (e) => message.error(errorText(e)),
  });
  const unlock = useMutation({
    mutationFn: (id: string) => api.post<Ok>(`/users/${id}/unlock`),
    onSuccess: () => {
      message.success(t.unlocked);
      void invalidate();
    },
    onError: (e) => message.error(errorText(e)),
  });

  // Locked when the list was loaded (the load time, not the clock: render stays pure now that the
  // phone cards call these cells while rendering).
  const locked = (u: User) => !!u.lockedUntil && new Date(u.lockedUntil).getTime() > users.dataUpdatedAt;

  const columns: TableColumnsType<User> = [
    { title: t.username, dataIndex: 'username', width: 150, render: (v: string) => <code>{v}</code> },
    { title: t.displayName, dataIndex: 'displayName', width: 170 },
    {
      title: t.grants,
      key: 'grants',
      render: (_, u) => (
        <Space size={[4, 4]} wrap>
          {u.grants.map((g) => (
            <Tag
              key={g.id}
              closable
              onClose={(e) => {
                e.preventDefault();
                modal.confirm({
                  title: t.removeGrant,
                  content: `${vi.roleLabel(g.role)} · ${g.orgUnitName}`,
                  okText: vi.common.confirm,
                  cancelText: vi.common.cancel,
                  okButtonProps: { danger: true },
                  onOk: () => revoke.mutateAsync({ userId: u.id, grantId: g.id }),
                });
              }}
            >
              {vi.roleLabel(g.role)} · {g.orgUnitName}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t.status,
      key: 'status',
      width: 150,
      render: (_, u) =>
        locked(u) ? (
          <Tag color="red">{t.lockedUntil(fmtDateTime(u.lockedUntil))}</Tag>
        ) : u.isActive ? (
          <Tag color="green">{t.active}</Tag>
        ) : (
          <Tag>{t.inactive}</Tag>
        ),
    },
    { title: t.lastLogin, dataIndex: 'lastLoginAt', width: 140, render: (v: string | null) => (v ? fmtDateTime(v) : t.never) },
    {
      title: vi.common.actions,
      key: 'act',
      width: 110,
      render: (_, u) => (
        <Space size={0}>
          <Tooltip title={t.addGrant}>
            <Button type="text" icon={<UserAddOutlined />} aria-label={t.addGrant} onClick={() => setGranting(u)} />
          </Tooltip>
          <Tooltip title={t.resetPassword}>
            <Button type="text" icon={<KeyOutlined />} aria-label={t.resetPassword} onClick={() => setResetting(u)} />
          </Tooltip>
          {locked(u) ? (
            <Tooltip title={t.unlock}>
              <Button type="text" icon={<UnlockOutlined />} aria-label={t.unlock} onClick={() => unlock.mutate(u.id)} />
            </Tooltip>
          ) : null}
        </Space>
      ),
    },
  ];

  const cell = (key: string, u: User, i: number) => columns.find((c) => c.key === key)?.render?.(undefined, u, i) as ReactNode;

  return (
    <>
      <PageHeader
        title={t.title}
        subtitle={users.data ? t.count(fmtNum(users.data.length)) : undefined}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} disabled={!unit}>
            {t.add}
          </Button>
        }
      />
      <div className="filters">
        <UnitSelect
          style={{ width: 360 }}
          value={unit?.id}
          placeholder={t.unit}
          onChange={(id, u: OrgUnit | undefined) => setUnit({ id, kind: u?.kind })}
        />
        <Input className="f-grow" allowClear prefix={<SearchOutlined />} placeholder={t.search} aria-label={t.search} value={text} onChange={(e) => setText(e.target.value)} />
      </div>
      {users.isError ? <QueryError error={users.error} onRetry={() => users.refetch()} /> : null}
      <ResponsiveList<User>
        size="small"
        bordered
        rowKey="id"
        loading={users.isFetching}
        columns={columns}
        dataSource={users.data ?? []}
        tableFrom="xl"
        pagination={{ defaultPageSize: 50, hideOnSinglePage: true, size: 'small' }}
        // The phone card shows the same cells as the table: name, login, roles, state, then the actions.
        card={(u, i) => (
          <>
            <span className="card-title">{u.displayName}</span>
            <span className="card-meta">
              <code>{u.username}</code>
              {cell('status', u, i)}
            </span>
            <div className="card-block">{cell('grants', u, i)}</div>
            <span className="card-meta">{`${t.lastLogin}: ${u.lastLoginAt ? fmtDateTime(u.lastLoginAt) : t.never}`}</span>
          </>
        )}
        cardActions={(u) => cell('act', u, 0)}
      />
      {unit ? <CreateUserModal open={creating} unit={unit} onClose={() => setCreating(false)} onDone={() => void invalidate()} /> : null}
      <GrantModal user={granting} defaultUnit={unit} onClose={() => setGranting(null)} onDone={() => void invalidate()} />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />
    </>
  );
}

type CreateValues = { username: string; displayName: string; password: string; role: Role; orgUnitId: string; staffId?: string };

function CreateUserModal({ open, unit, onClose, onDone }: { open: boolean; unit: { id: string; kind?: string }; onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm<CreateValues>();
  const { message } = App.useApp();
  const [kind, setKind] = useState<string | undefined>(unit.kind);
  const orgUnitId = Form.useWatch('orgUnitId', form);
  const role = Form.useWatch('role', form);
  const isSchool = kind === 'school';
  const staff = useStaffDirectory(open && isSchool && orgUnitId ? orgUnitId : null);
  const m = useMutation({
    mutationFn: (v: CreateValues) => api.post<User, CreateUser>('/users', { ...v, username: v.username.trim().toLowerCase(), displayName: v.displayName.trim(), staffId: v.staffId || undefined }),
    onSuccess: () => {
      message.success(t.created);
      onDone();
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
      <Form form={form} layout="vertical" initialValues={{ orgUnitId: unit.id }} onFinish={(v) => m.mutate(v)} requiredMark={false} autoComplete="off">
        <Form.Item
          name="username"
          label={t.username}
          rules={[
            { required: true },
            contractRule(ZCreateUser.shape.username),
          ]}
        >
          <Input autoCapitalize="none" spellCheck={false} />
        </Form.Item>
        <Form.Item name="displayName" label={t.displayName} rules={[{ required: true, whitespace: true }, { min: 2 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="password" label={t.password} extra={t.passwordHelp} rules={[{ required: true }, contractRule(ZCreateUser.shape.password)]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="orgUnitId" label={t.unit} rules={[{ required: true }]}>
          <UnitSelect
            onChange={(id, u) => {
              form.setFieldsValue({ orgUnitId: id, role: undefined, staffId: undefined });
              setKind(u?.kind);
            }}
          />
        </Form.Item>
        <Form.Item name="role" label={t.role} rules={[{ required: true }]}>
          <Select options={roleOptions(kind)} />
        </Form.Item>
        {isSchool && role && ['principal', 'school_staff', 'homeroom_teacher', 'subject_teacher'].includes(role) ? (
          <Form.Item
            name="staffId"
            label={t.staffLink}
            extra={TEACHER_ROLES.includes(role) ? t.staffLinkHelp : undefined}
            rules={TEACHER_ROLES.includes(role) ? [{ required: true, message: t.staffLinkHelp }] : undefined}
          >
            <Select allowClear showSearch={foldSearch} loading={staff.isLoading} options={(staff.data ?? []).map((s) => ({ value: s.id, label: s.fullName }))} />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}

function GrantModal({ user, defaultUnit, onClose, onDone }: { user: User | null; defaultUnit: { id: string; kind?: string } | null; onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm<{ role: Role; orgUnitId: string }>();
  const { message } = App.useApp();
  const [kind, setKind] = useState<string | undefined>(defaultUnit?.kind);
  const m = useMutation({
    mutationFn: (v: { role: Role; orgUnitId: string }) => api.post<User, AddGrant>(`/users/${user?.id}/grants`, v),
    onSuccess: () => {
      message.success(vi.common.saved);
      onDone();
      onClose();
    },
    onError: (e) => message.error(errorText(e)),
  });
  return (
    <Modal
      open={!!user}
      title={user ? t.addGrantTitle(user.displayName) : ''}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={vi.common.save}
      cancelText={vi.common.cancel}
      confirmLoading={m.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={{ orgUnitId: defaultUnit?.id }} onFinish={(v) => m.mutate(v)} requiredMark={false}>
        <Form.Item name="orgUnitId" label={t.unit} rules={[{ required: true }]}>
          <UnitSelect
            onChange={(id, u) => {
              form.setFieldsValue({ orgUnitId: id, role: undefined });
              setKind(u?.kind);
            }}
          />
        </Form.Item>
        <Form.Item name="role" label={t.role} rules={[{ required: true }]}>
          <Select options={roleOptions(kind)} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ResetPasswordModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const [form] = Form.useForm<{ newPassword: string }>();
  const { message } = App.useApp();
  const m = useMutation({
    mutationFn: (v: { newPassword: string }) => api.post<Ok, ResetPassword>(`/users/${user?.id}/reset-password`, v),
    onSuccess: () => {
      message.success(vi.common.saved);
      onClose();
    },
    onError: (e) => message.error(errorText(e)),
  });
  return (
    <Modal
      open={!!user}
      title={user ? t.resetTitle(user.displayName) : ''}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={vi.common.save}
      cancelText={vi.common.cancel}
      confirmLoading={m.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => m.mutate(v)} requiredMark={false} autoComplete="off">
        <Form.Item name="newPassword" label={vi.account.newPassword} extra={t.passwordHelp} rules={[{ required: true }, contractRule(ZResetPassword.shape.newPassword)]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
