import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Input, Select, Typography } from 'antd';
import { useId, useState } from 'react';
import { api, errorText } from '../../api/client';
import type { QualityRatings, SaveYearComments, SaveYearCommentsResult } from '../../api/types';
import { vi } from '../../i18n/vi';
import { useSession } from '../auth/session';
import { PhrasePicker } from '../gradebook/comment-phrases';
import { commentChanges, commentKey, commentOf, withPhrase, writtenCount } from './qualities-logic';

const t = vi.qualities;
const MAX_COMMENT = 1000;
/** Where the toolbar's "Nhận xét cả năm" button scrolls to (the section is under a class-long grid). */
export const YEAR_COMMENTS_ANCHOR = 'nhan-xet-ca-nam';

/**
 * "Nhận xét cả năm" of the homeroom teacher (TT27 học bạ): per student, a comment on the
 * qualities, the general and the specific competencies, and the year overall — one student at a
 * time on every screen (four text boxes do not fit a row of a table), the teacher's comment
 * phrases at hand, one save for every changed box (each sent with the version read: a box someone
 * else changed first comes back as a conflict and shows their text). Locked with the end-of-year
 * ratings. The student shown is the panel's (on a phone the ratings above show the same one).
 */
export function YearComments({ data, url, queryKey, index, onIndex: setIndex }: { data: QualityRatings; url: string; queryKey: unknown[]; index: number; onIndex: (i: number) => void }) {
  const [draft, setDraft] = useState<Map<string, string>>(new Map());
  const { message } = App.useApp();
  const qc = useQueryClient();
  const userId = useSession().me.userId;
  const idBase = useId();
  const topics = data.commentTopics;
  const codes = topics.map((x) => x.code);
  const rows = data.rows;
  const editable = data.actions.edit;
  const changes = commentChanges(rows, codes, draft);
  const written = rows.reduce((n, r) => n + writtenCount(r, codes, draft), 0);
  const i = Math.min(index, rows.length - 1);
  const r = rows[i];

  const save = useMutation({
    mutationFn: (body: SaveYearComments) => api.put<SaveYearCommentsResult, SaveYearComments>(url, body),
    onSuccess: (result) => {
      const next = new Map(draft);
      for (const c of [...result.saved, ...result.conflicts]) next.delete(commentKey(c.studentId, c.topic));
      setDraft(next);
      if (result.saved.length) message.success(t.commentsSaved(result.saved.length));
      if (result.conflicts.length) message.warning(t.commentsConflicts(result.conflicts.length), 10);
      if (result.rejected.length) {
        const names = new Map(rows.map((x) => [x.studentId, x.fullName]));
        message.error(`${t.commentsRejected(result.rejected.length)} ${result.rejected.map((x) => `${names.get(x.studentId) ?? ''}: ${x.message}`).join('; ')}`, 10);
      }
      void qc.invalidateQueries({ queryKey });
    },
    onError: (e) => message.error(errorText(e), 8),
  });
  if (!r) return null;
  const set = (topic: string, text: string) => setDraft((d) => new Map(d).set(commentKey(r.studentId, topic), text));

  return (
    <section id={YEAR_COMMENTS_ANCHOR} className="yc" aria-labelledby={`${idBase}-title`} data-testid="year-comments">
      <h3 id={`${idBase}-title`} className="yc-title">
        {t.commentsTitle}
      </h3>
      <div className="rs-toolbar">
        <Typography.Text type="secondary">{t.commentsWritten(written, rows.length * codes.length)}</Typography.Text>
        {changes.length ? <span className="pill pill-orange">{t.commentsUnsaved(changes.length)}</span> : null}
      </div>
      {editable ? <Alert className="rs-alert" type="info" showIcon title={t.commentsIntro} /> : null}
      <div className="ql-nav">
        <Button icon={<LeftOutlined aria-hidden />} aria-label={t.prev} disabled={i === 0} onClick={() => setIndex(i - 1)} data-testid="year-comments-prev" />
        <Select
          className="ql-pick"
          aria-label={t.pickStudent}
          value={i}
          onChange={setIndex}
          options={rows.map((s, k) => ({ value: k, label: `${k + 1}. ${s.fullName} (${writtenCount(s, codes, draft)}/${codes.length})` }))}
          data-testid="year-comments-pick"
        />
        <Button icon={<RightOutlined aria-hidden />} aria-label={t.next} disabled={i === rows.length - 1} onClick={() => setIndex(i + 1)} data-testid="year-comments-next" />
      </div>
      <fieldset className="ql-group yc-student">
        <legend>{t.commentsOf(r.fullName)}</legend>
        {topics.map((topic) => {
          const id = `${idBase}-${topic.code}`;
          const text = commentOf(r, topic.code, draft);
          return (
            <div key={topic.code} className="yc-topic" data-testid="year-comment">
              <div className="yc-label">
                <label htmlFor={id}>{topic.label}</label>
                {editable ? <PhrasePicker userId={userId} current={text} onPick={(p) => set(topic.code, withPhrase(text, p))} disabled={save.isPending} /> : null}
              </div>
              {editable ? (
                <Input.TextArea
                  id={id}
                  value={text}
                  maxLength={MAX_COMMENT}
                  showCount={text.length > MAX_COMMENT - 100}
                  autoSize={{ minRows: 2, maxRows: 8 }}
                  disabled={save.isPending}
                  onChange={(e) => set(topic.code, e.target.value)}
                  data-testid={`year-comment-${topic.code}`}
                />
              ) : (
                <p id={id} className="yc-text">
                  {text || <Typography.Text type="secondary">{t.commentsEmpty}</Typography.Text>}
                </p>
              )}
            </div>
          );
        })}
      </fieldset>
      <div className="yc-actions">
        {i < rows.length - 1 ? (
          <Button onClick={() => setIndex(i + 1)} data-testid="year-comments-next-bottom">
            {t.next}: {rows[i + 1].fullName}
          </Button>
        ) : null}
        {editable ? (
          <Button
            type="primary"
            loading={save.isPending}
            onClick={() => (changes.length ? save.mutate({ comments: changes }) : void message.info(t.commentsUnchanged))}
            data-testid="year-comments-save"
          >
            {t.commentsSave(changes.length)}
          </Button>
        ) : null}
      </div>
    </section>
  );
}
