import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Radio, Segmented, Select, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { api, errorText } from '../../api/client';
import type { DevelopmentSheet, SaveDevelopment, SaveDevelopmentResult } from '../../api/types';
import { useWide } from '../../components/responsive-list';
import { SaveBar } from '../../components/save-bar';
import { vi } from '../../i18n/vi';
import { setQuery, useRoute } from '../../router';

const t = vi.preschool;
type Period = DevelopmentSheet['evaluationPeriod'];
type Value = 'dat' | 'chua_dat';
type Row = DevelopmentSheet['rows'][number];
type Domain = DevelopmentSheet['set']['domains'][number];
const isPeriod = (p: string | null): p is Period => p === 'end_term1' || p === 'end_year';
const cellKey = (studentId: string, code: string) => `${studentId}/${code}`;
const indicatorsOf = (d: Domain) => d.standards.flatMap((s) => s.indicators);

/**
 * The class's evaluation in a period: Đạt / Chưa đạt per child and indicator, one save for what
 * changed (each cell with the version read: what someone else changed meanwhile comes back and is
 * reloaded, never overwritten). On a wide screen a table per domain; on a phone one child at a time.
 */
export function DevelopmentPanel({ schoolId, classId }: { schoolId: string; classId: string }) {
  const { query } = useRoute();
  const ky = query.get('dot');
  const period: Period = isPeriod(ky) ? ky : 'end_term1';
  const key = ['preschool-development', schoolId, classId, period];
  const q = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => api.get<DevelopmentSheet>(`/schools/${schoolId}/classes/${classId}/development`, { evaluationPeriod: period }, signal),
  });
  const [draft, setDraft] = useState<Map<string, Value | null>>(new Map());
  const [childIndex, setChildIndex] = useState(0);
  const wide = useWide('lg');
  const qc = useQueryClient();
  const { message } = App.useApp();
  const data = q.data;
  const editable = !!data?.canEdit;
  const stored = (r: Row, code: string) => r.results[code]?.value ?? null;
  const value = (r: Row, code: string) => (draft.has(cellKey(r.studentId, code)) ? (draft.get(cellKey(r.studentId, code)) ?? null) : stored(r, code));
  const changes = (data?.rows ?? []).flatMap((r) =>
    [...draft.entries()]
      .filter(([k, v]) => k.startsWith(`${r.studentId}/`) && v !== stored(r, k.slice(r.studentId.length + 1)))
      .map(([k, v]) => {
        const code = k.slice(r.studentId.length + 1);
        return { studentId: r.studentId, indicator: code, value: v, version: r.results[code]?.version ?? 0 };
      }),
  );
  const set = (r: Row, code: string, v: Value | null) => setDraft((d) => new Map(d).set(cellKey(r.studentId, code), v));

  const save = useMutation({
    mutationFn: (body: SaveDevelopment) => api.put<SaveDevelopmentResult, SaveDevelopment>(`/schools/${schoolId}/classes/${classId}/development`, body),
    onSuccess: async (res) => {
      setDraft(new Map());
      await qc.invalidateQueries({ queryKey: key });
      if (res.saved.length) message.success(t.saved(res.saved.length));
      if (res.conflicts.length) message.warning(t.conflicts(res.conflicts.length), 8);
      if (res.rejected.length) message.error(`${t.rejected(res.rejected.length)} ${res.rejected.map((r) => r.message).join(' ')}`, 10);
    },
    onError: (e) => message.error(errorText(e), 8),
  });
  const submit = () => {
    if (!changes.length) return void message.info(t.nothingToSave);
    save.mutate({ evaluationPeriod: period, results: changes });
  };

  const picker = (r: Row, code: string, name: string) => {
    const v = value(r, code);
    if (!editable) return <span>{v === 'dat' ? t.dat : v === 'chua_dat' ? t.chuaDat : t.notEvaluated}</span>;
    return (
      <Radio.Group
        size="small"
        optionType="button"
        buttonStyle="solid"
        disabled={save.isPending}
        aria-label={t.resultOf(r.fullName, name)}
        value={v}
        options={[
          { value: 'dat', label: t.dat },
          { value: 'chua_dat', label: t.chuaDat },
        ]}
        onChange={(e) => set(r, code, e.target.value as Value)}
        data-testid={`result-${code}`}
      />
    );
  };

  const domains = data?.set.domains ?? [];
  const hasIndicators = domains.some((d) => indicatorsOf(d).length > 0);
  const rows = data?.rows ?? [];
  const child = rows[Math.min(childIndex, Math.max(rows.length - 1, 0))];
  // A domain's line for a child as the draft stands (what the save would store).
  const score = (r: Row, d: Domain) => {
    const list = indicatorsOf(d);
    const vals = list.map((i) => value(r, i.code));
    return t.domainScore(vals.filter((v) => v === 'dat').length, list.length, vals.filter((v) => v !== null).length);
  };

  // On a phone the children come first (what the teacher is there to tick), the class's summary after them.
  const summaryTable = data ? (
    <>
      <h2 className="ps-h2">{t.summary}</h2>
      <Table
        size="small"
        bordered
        pagination={false}
        rowKey="domainCode"
        dataSource={data.summary}
        data-testid="development-summary"
        columns={[
          { title: t.domain, dataIndex: 'domainName', key: 'd' },
          { title: t.achievedChildren, dataIndex: 'achieved', key: 'a', align: 'right' },
          { title: t.notAchievedChildren, dataIndex: 'notAchieved', key: 'n', align: 'right' },
          { title: t.incompleteChildren, dataIndex: 'incomplete', key: 'i', align: 'right' },
        ]}
      />
    </>
  ) : null;

  return (
    <div data-testid="development">
      <div className="ps-toolbar">
        <Segmented
          aria-label={t.periodSwitch}
          value={period}
          options={(data?.periods ?? [{ value: 'end_term1', label: 'Cuối học kì I' }, { value: 'end_year', label: 'Cuối năm học' }]).map((p) => ({ value: p.value, label: p.label }))}
          onChange={(v) => {
            setDraft(new Map());
            setQuery({ dot: v === 'end_term1' ? undefined : v });
          }}
          data-testid="development-period"
        />
        {changes.length ? <span className="pill pill-orange">{t.unsaved(changes.length)}</span> : null}
      </div>
      {q.isError ? <Alert type="error" showIcon title={errorText(q.error)} /> : null}
      {data ? (
        <>
          <Typography.Paragraph type="secondary" className="ps-set">
            {t.setName(data.set.name, data.set.basis)}
          </Typography.Paragraph>
          {!hasIndicators ? <Alert type="warning" showIcon title={t.noIndicators} /> : null}
          {!editable && data.readOnlyReason ? <Alert type="info" showIcon title={data.readOnlyReason} className="ps-alert" /> : null}
          {wide ? summaryTable : null}
          {hasIndicators && rows.length > 0 ? (
            wide ? (
              domains
                .filter((d) => indicatorsOf(d).length > 0)
                .map((d) => {
                  const columns: TableColumnsType<Row> = [
                    { title: t.stt, key: 'stt', width: 48, render: (_: unknown, __, i) => i + 1 },
                    { title: t.name, key: 'name', render: (_: unknown, r) => r.fullName },
                    // A set fixed width per indicator: the header wraps instead of pushing the child's result out of view.
                    ...indicatorsOf(d).map((i) => ({ title: i.name, key: i.code, width: 190, render: (_: unknown, r: Row) => picker(r, i.code, i.name) })),
                    { title: t.childScore, key: 'score', width: 150, render: (_: unknown, r: Row) => score(r, d) },
                  ];
                  return (
                    <section key={d.code} className="ps-domain">
                      <h2 className="ps-h2">{d.name}</h2>
                      <Table<Row> size="small" bordered pagination={false} rowKey="studentId" dataSource={rows} columns={columns} scroll={{ x: 'max-content' }} data-testid={`domain-${d.code}`} />
                    </section>
                  );
                })
            ) : child ? (
              <section className="ps-child" data-testid="child-card">
                <div className="ps-childnav">
                  <Button onClick={() => setChildIndex(Math.max(0, childIndex - 1))} disabled={childIndex === 0}>
                    {t.prev}
                  </Button>
                  <Select
                    aria-label={t.pickChild}
                    className="ps-childpick"
                    value={child.studentId}
                    options={rows.map((r, i) => ({ value: r.studentId, label: `${i + 1}. ${r.fullName}` }))}
                    onChange={(id: string) => setChildIndex(rows.findIndex((r) => r.studentId === id))}
                    data-testid="child-pick"
                  />
                  <Button onClick={() => setChildIndex(Math.min(rows.length - 1, childIndex + 1))} disabled={childIndex >= rows.length - 1}>
                    {t.next}
                  </Button>
                </div>
                <h2 className="ps-h2">{child.fullName}</h2>
                {domains
                  .filter((d) => indicatorsOf(d).length > 0)
                  .map((d) => (
                    <div key={d.code} className="ps-card">
                      <div className="ps-card-head">
                        <strong>{d.name}</strong>
                        <span>{score(child, d)}</span>
                      </div>
                      <ul className="ps-indicators">
                        {indicatorsOf(d).map((i) => (
                          <li key={i.code}>
                            <span>{i.name}</span>
                            {picker(child, i.code, i.name)}
                          </li>
                        ))}
                      </ul>
                    </div>
                  ))}
              </section>
            ) : null
          ) : null}
          {wide ? null : summaryTable}
          {editable && hasIndicators ? (
            <SaveBar label={t.save(changes.length)} pending={save.isPending} onSave={submit} testId="development-save" />
          ) : null}
        </>
      ) : null}
    </div>
  );
}
