import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Input, Typography } from 'antd';
import { useState } from 'react';
import { api, errorText } from '../../api/client';
import type { IndicatorSet, SaveIndicatorSet } from '../../api/types';
import { SaveBar } from '../../components/save-bar';
import { vi } from '../../i18n/vi';

const t = vi.preschool;
type Domains = IndicatorSet['domains'];

/**
 * A code for an item the school adds: codes key the stored results, so an item keeps the code it
 * was saved with when renamed; a new one gets a fresh code nobody types or reads.
 */
const freshCode = (prefix: string) => `${prefix}_${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;

/**
 * "Bộ chỉ số": the school's set as domains → standards → indicators. The school's managers add,
 * rename and remove standards and indicators (the domains are the document's) and save the whole
 * set with the version they read; everyone else reads it. What is still missing against the
 * document is listed above.
 */
export function IndicatorSetPanel({ schoolId }: { schoolId: string }) {
  const key = ['preschool-indicator-set', schoolId];
  const q = useQuery({ queryKey: key, queryFn: ({ signal }) => api.get<IndicatorSet>(`/schools/${schoolId}/preschool/indicator-set`, undefined, signal) });
  const [draft, setDraft] = useState<Domains | null>(null);
  const qc = useQueryClient();
  const { message } = App.useApp();
  const data = q.data;
  const domains = draft ?? data?.domains ?? [];
  const editable = !!data?.canEdit;
  /** Changes a copy of the draft's standard (di, si) and keeps it as the draft. */
  const onStandard = (di: number, si: number, f: (s: Domains[number]['standards'][number]) => void) => {
    const copy = structuredClone(domains);
    const s = copy[di]?.standards[si];
    if (s) f(s);
    setDraft(copy);
  };
  const onDomain = (di: number, f: (d: Domains[number]) => void) => {
    const copy = structuredClone(domains);
    const d = copy[di];
    if (d) f(d);
    setDraft(copy);
  };

  const save = useMutation({
    mutationFn: (body: SaveIndicatorSet) => api.put<IndicatorSet, SaveIndicatorSet>(`/schools/${schoolId}/preschool/indicator-set`, body),
    onSuccess: (res) => {
      qc.setQueryData(key, res);
      void qc.invalidateQueries({ queryKey: ['preschool-development', schoolId] });
      setDraft(null);
      message.success(t.setSaved);
    },
    onError: (e) => message.error(errorText(e), 10),
  });

  if (q.isError) return <Alert type="error" showIcon title={errorText(q.error)} />;
  if (!data) return null;
  return (
    <div data-testid="indicator-set">
      <Typography.Paragraph>{t.setName(data.name, data.basis)}</Typography.Paragraph>
      {data.problems.length ? (
        <Alert
          className="ps-alert"
          type="warning"
          showIcon
          title={t.setMissing}
          description={
            <ul className="ps-problems">
              {data.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          }
        />
      ) : null}
      {!editable ? <Alert className="ps-alert" type="info" showIcon title={t.setReadOnly} /> : null}
      {domains.map((d, di) => (
        <section key={d.code} className="ps-card" data-testid="set-domain">
          <div className="ps-card-head">
            <strong>{d.name}</strong>
          </div>
          {d.standards.map((s, si) => (
            <div key={s.code} className="ps-standard">
              {editable ? (
                <div className="ps-row">
                  <Input.TextArea
                    autoSize
                    aria-label={t.standardName(d.name, si + 1)}
                    value={s.name}
                    placeholder={t.standardPlaceholder}
                    onChange={(e) => onStandard(di, si, (x) => (x.name = e.target.value))}
                  />
                  <Button onClick={() => onDomain(di, (x) => x.standards.splice(si, 1))}>{t.remove}</Button>
                </div>
              ) : (
                <div className="ps-standard-name">{s.name}</div>
              )}
              <ol className="ps-indicator-list">
                {s.indicators.map((i, ii) => (
                  <li key={i.code}>
                    {editable ? (
                      <div className="ps-row">
                        <Input.TextArea
                          autoSize
                          aria-label={t.indicatorName(s.name, ii + 1)}
                          value={i.name}
                          placeholder={t.indicatorPlaceholder}
                          onChange={(e) => onStandard(di, si, (x) => x.indicators[ii] && (x.indicators[ii].name = e.target.value))}
                          data-testid="set-indicator-name"
                        />
                        <Button onClick={() => onStandard(di, si, (x) => x.indicators.splice(ii, 1))}>{t.remove}</Button>
                      </div>
                    ) : (
                      i.name
                    )}
                  </li>
                ))}
              </ol>
              {editable ? (
                <Button size="small" onClick={() => onStandard(di, si, (x) => x.indicators.push({ code: freshCode('cs'), name: '' }))} data-testid="set-add-indicator">
                  {t.addIndicator}
                </Button>
              ) : null}
            </div>
          ))}
          {editable ? (
            <Button onClick={() => onDomain(di, (x) => x.standards.push({ code: freshCode('chuan'), name: '', indicators: [{ code: freshCode('cs'), name: '' }] }))} data-testid="set-add-standard">
              {t.addStandard}
            </Button>
          ) : null}
        </section>
      ))}
      {editable ? (
        <SaveBar
          label={t.saveSet}
          pending={save.isPending}
          disabled={!draft}
          onSave={() => save.mutate({ name: data.name, basis: data.basis, domains, version: data.version })}
          testId="set-save"
          extra={draft ? <Button onClick={() => setDraft(null)}>{t.undo}</Button> : null}
        />
      ) : null}
    </div>
  );
}
