import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Popconfirm, Radio, Select } from 'antd';
import { useState } from 'react';
import { api, errorText, withQuery } from '../../api/client';
import type { PrimaryAwards, SavePrimaryAward } from '../../api/types';
import { QueryError } from '../../components/query-error';
import { foldSearch } from '../../components/select-search';
import { vi } from '../../i18n/vi';
import { resultsKey } from './results-api';

const t = vi.awards;
type Award = PrimaryAwards['awards'][number];
type Kind = Award['kind'];
type Draft = { studentId?: string; kind: Kind; achievement: string; version: number };

/**
 * Khen thưởng of a primary class beyond Học sinh Xuất sắc (TT27/2020 Điều 13): the homeroom
 * teacher proposes Học sinh Tiêu biểu (a Hoàn thành tốt student, with the outstanding subject or
 * the quality / competency that clearly progressed) or an ad-hoc award; the principal records
 * them. The server refuses Tiêu biểu for any other outcome and says why.
 */
export function PrimaryAwardsPanel({ schoolId, classId }: { schoolId: string; classId: string }) {
  const url = `/schools/${schoolId}/classes/${classId}/awards`;
  const key = ['primary-awards', schoolId, classId];
  const q = useQuery({ queryKey: key, queryFn: ({ signal }) => api.get<PrimaryAwards>(url, undefined, signal) });
  const [draft, setDraft] = useState<Draft | null>(null);
  const { message } = App.useApp();
  const qc = useQueryClient();
  const done = (data: PrimaryAwards, text: string) => {
    qc.setQueryData(key, data);
    void qc.invalidateQueries({ queryKey: resultsKey(schoolId, classId) });
    message.success(text);
  };
  const save = useMutation({
    mutationFn: (body: SavePrimaryAward) => api.put<PrimaryAwards, SavePrimaryAward>(url, body),
    onSuccess: (data) => {
      setDraft(null);
      done(data, t.saved);
    },
    onError: (e) => message.error(errorText(e), 10),
  });
  const remove = useMutation({
    mutationFn: (a: Award) => api.del<PrimaryAwards>(withQuery(url, { studentId: a.studentId, kind: a.kind, version: String(a.version) })),
    onSuccess: (data) => done(data, t.removed),
    onError: (e) => message.error(errorText(e), 10),
  });
  const data = q.data;
  if (q.isError) return <QueryError error={q.error} onRetry={() => q.refetch()} />;
  if (!data) return null;
  const writes = data.actions.propose || data.actions.record;
  const student = data.students.find((s) => s.studentId === draft?.studentId);

  return (
    <div className="aw" data-testid="primary-awards">
      <Alert className="rs-alert" type="info" showIcon title={data.actions.record ? t.introRecord : data.actions.propose ? t.introPropose : t.introRead} />
      {!data.closed && writes ? <Alert className="rs-alert" type="warning" showIcon title={t.notClosed} /> : null}
      {data.awards.length ? (
        <ol className="aw-list">
          {data.awards.map((a) => (
            <li key={`${a.studentId}/${a.kind}`} className="aw-item" data-testid="primary-award">
              <div className="aw-head">
                <span className="rs-name">{a.fullName}</span>
                <span className={`pill ${a.status === 'recorded' ? 'pill-cyan' : 'pill-orange'}`}>{a.statusLabel}</span>
              </div>
              <div className="aw-kind">{a.kindLabel}</div>
              <div className="aw-achievement">
                {t.achievement}: {a.achievement}
              </div>
              {writes && (data.actions.record || a.status === 'proposed') ? (
                <div className="aw-actions">
                  {data.actions.record && a.status === 'proposed' ? (
                    <Button
                      type="primary"
                      size="small"
                      loading={save.isPending}
                      onClick={() => save.mutate({ studentId: a.studentId, kind: a.kind, achievement: a.achievement, version: a.version })}
                      aria-label={t.recordThis(a.fullName)}
                      data-testid="primary-award-record"
                    >
                      {t.record}
                    </Button>
                  ) : null}
                  <Button size="small" onClick={() => setDraft({ studentId: a.studentId, kind: a.kind, achievement: a.achievement, version: a.version })}>
                    {t.edit}
                  </Button>
                  <Popconfirm title={t.removeConfirm(a.fullName)} okText={data.actions.record ? t.remove : t.withdraw} cancelText={t.cancel} onConfirm={() => remove.mutate(a)}>
                    <Button size="small" danger loading={remove.isPending}>
                      {data.actions.record ? t.remove : t.withdraw}
                    </Button>
                  </Popconfirm>
                </div>
              ) : null}
            </li>
          ))}
        </ol>
      ) : (
        <p className="rs-note">{t.none}</p>
      )}
      {writes && !draft ? (
        <Button onClick={() => setDraft({ kind: data.closed ? 'tieu_bieu' : 'dot_xuat', achievement: '', version: 0 })} data-testid="primary-award-add">
          {data.actions.record ? t.addRecord : t.add}
        </Button>
      ) : null}
      {writes && draft ? (
        <Form
          layout="vertical"
          className="aw-form"
          onFinish={() => draft.studentId && save.mutate({ studentId: draft.studentId, kind: draft.kind, achievement: draft.achievement, version: draft.version })}
          data-testid="primary-award-form"
        >
          <Form.Item label={t.kind} htmlFor="aw-kind">
            <Radio.Group
              id="aw-kind"
              value={draft.kind}
              disabled={draft.version > 0}
              onChange={(e) => setDraft({ ...draft, kind: e.target.value as Kind })}
              options={[
                { value: 'tieu_bieu', label: vi.results.lists.tieuBieu },
                { value: 'dot_xuat', label: vi.results.lists.adHoc },
              ]}
            />
          </Form.Item>
          <Form.Item label={t.student} htmlFor="aw-student" help={student ? t.outcome(student.outcome) : undefined}>
            <Select
              id="aw-student"
              showSearch={foldSearch}
              value={draft.studentId}
              disabled={draft.version > 0}
              onChange={(v: string) => setDraft({ ...draft, studentId: v })}
              options={data.students.map((s) => ({
                value: s.studentId,
                label: draft.kind === 'tieu_bieu' && !s.tieuBieu ? `${s.fullName} (${t.notEligible})` : s.fullName,
                disabled: draft.kind === 'tieu_bieu' && !s.tieuBieu,
              }))}
              data-testid="primary-award-student"
            />
          </Form.Item>
          <Form.Item label={t.achievement} htmlFor="aw-achievement" extra={draft.kind === 'tieu_bieu' ? t.achievementHintTieuBieu : t.achievementHintAdHoc}>
            <Input.TextArea
              id="aw-achievement"
              value={draft.achievement}
              maxLength={500}
              autoSize={{ minRows: 2, maxRows: 5 }}
              onChange={(e) => setDraft({ ...draft, achievement: e.target.value })}
              data-testid="primary-award-achievement"
            />
          </Form.Item>
          <div className="aw-actions">
            <Button type="primary" htmlType="submit" loading={save.isPending} disabled={!draft.studentId || draft.achievement.trim().length < 3} data-testid="primary-award-save">
              {data.actions.record ? t.record : t.propose}
            </Button>
            <Button onClick={() => setDraft(null)}>{t.cancel}</Button>
          </div>
        </Form>
      ) : null}
    </div>
  );
}
