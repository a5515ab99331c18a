import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Input, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { isoToday, parseHeightCm, parseWeightKg } from '../../../../domain/index';
import { api, errorText } from '../../api/client';
import type { ClassMeasurements, SaveMeasurements, SaveMeasurementsResult } from '../../api/types';
import { VnDatePicker } from '../../components/lazy-date-picker';
import { ResponsiveList } from '../../components/responsive-list';
import { SaveBar } from '../../components/save-bar';
import { vi } from '../../i18n/vi';

const t = vi.preschool;
type Row = ClassMeasurements['rows'][number];
type Entry = { height: string; weight: string };
const vnDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/**
 * "Cân đo": one date for the class's session, a height and a weight per child (checked as typed
 * with the domain's parsers, the same the server applies), then one save; each child's latest
 * measurement with the nutrition status in words, as the server computed it.
 */
export function MeasurementsPanel({ schoolId, classId }: { schoolId: string; classId: string }) {
  const key = ['preschool-measurements', schoolId, classId];
  const q = useQuery({ queryKey: key, queryFn: ({ signal }) => api.get<ClassMeasurements>(`/schools/${schoolId}/classes/${classId}/measurements`, undefined, signal) });
  const [on, setOn] = useState(isoToday());
  const [entries, setEntries] = useState<Map<string, Entry>>(new Map());
  const qc = useQueryClient();
  const { message } = App.useApp();
  const data = q.data;
  const editable = !!data?.canEdit;
  const entry = (id: string): Entry => entries.get(id) ?? { height: '', weight: '' };
  const put = (id: string, patch: Partial<Entry>) => setEntries((m) => new Map(m).set(id, { ...entry(id), ...patch }));
  const problem = (e: Entry): string | null => {
    if (e.height.trim() === '' && e.weight.trim() === '') return null;
    const h = parseHeightCm(e.height);
    if (!h.ok) return h.message;
    const w = parseWeightKg(e.weight);
    return w.ok ? null : w.message;
  };
  const filled = (data?.rows ?? []).filter((r) => {
    const e = entry(r.studentId);
    return (e.height.trim() !== '' || e.weight.trim() !== '') && problem(e) === null;
  });

  const save = useMutation({
    mutationFn: (body: SaveMeasurements) => api.put<SaveMeasurementsResult, SaveMeasurements>(`/schools/${schoolId}/classes/${classId}/measurements`, body),
    onSuccess: async (res) => {
      setEntries(new Map());
      await qc.invalidateQueries({ queryKey: key });
      if (res.saved.length) message.success(t.measurementsSaved(res.saved.length));
      for (const c of [...res.conflicts, ...res.rejected]) message.warning(c.message, 10);
    },
    onError: (e) => message.error(errorText(e), 10),
  });
  const submit = () => {
    const rows = data?.rows ?? [];
    const bad = rows.find((r) => problem(entry(r.studentId)) !== null);
    if (bad) return void message.error(`${bad.fullName}: ${problem(entry(bad.studentId))}`, 8);
    if (!filled.length) return void message.info(t.nothingToSave);
    save.mutate({
      measurements: filled.map((r) => {
        const e = entry(r.studentId);
        // The same day again corrects that day's measurement, with the version read.
        const same = r.measurements.find((m) => m.measuredOn === vnDate(on));
        return { studentId: r.studentId, measuredOn: on, height: e.height, weight: e.weight, version: same?.version ?? 0 };
      }),
    });
  };

  const latest = (r: Row) => r.measurements.at(-1);
  const lastCell = (r: Row) => {
    const m = latest(r);
    if (!m) return <Typography.Text type="secondary">{t.noMeasurement}</Typography.Text>;
    return (
      <div className="ps-measure" data-testid="measurement-last">
        <div>{t.measurementLine(m.measuredOn, m.height, m.weight)}</div>
        {m.age ? <div className="ps-muted">{m.age}</div> : null}
        <div>
          {m.status ? (
            m.status.map((s) => (
              <span key={s} className={`pill ${s === 'Bình thường' ? 'pill-green' : 'pill-orange'}`} data-testid="nutrition-status">
                {s}
              </span>
            ))
          ) : (
            <span className="ps-muted">{m.details.join(' ')}</span>
          )}
        </div>
      </div>
    );
  };
  const inputs = (r: Row) => {
    if (!editable) return null;
    const e = entry(r.studentId);
    const p = problem(e);
    return (
      <div className="ps-inputs">
        <Input
          inputMode="decimal"
          placeholder={t.height}
          aria-label={t.heightOf(r.fullName)}
          value={e.height}
          status={p && e.height.trim() !== '' && !parseHeightCm(e.height).ok ? 'error' : undefined}
          onChange={(ev) => put(r.studentId, { height: ev.target.value })}
          data-testid="height"
        />
        <Input
          inputMode="decimal"
          placeholder={t.weight}
          aria-label={t.weightOf(r.fullName)}
          value={e.weight}
          status={p && e.weight.trim() !== '' && !parseWeightKg(e.weight).ok ? 'error' : undefined}
          onChange={(ev) => put(r.studentId, { weight: ev.target.value })}
          data-testid="weight"
        />
        {p ? (
          <Typography.Text type="danger" className="ps-error">
            {p}
          </Typography.Text>
        ) : null}
      </div>
    );
  };
  const columns: TableColumnsType<Row> = [
    { title: t.stt, key: 'stt', width: 48, render: (_: unknown, __, i) => i + 1 },
    { title: t.name, key: 'name', render: (_: unknown, r) => r.fullName },
    { title: t.dateOfBirth, key: 'dob', render: (_: unknown, r) => r.dateOfBirth ?? '' },
    { title: t.lastMeasurement, key: 'last', render: (_: unknown, r) => lastCell(r) },
    ...(editable ? [{ title: `${t.height} / ${t.weight}`, key: 'entry', render: (_: unknown, r: Row) => inputs(r) }] : []),
  ];

  return (
    <div data-testid="measurements">
      {q.isError ? <Alert type="error" showIcon title={errorText(q.error)} /> : null}
      {data && !editable && data.readOnlyReason ? <Alert type="info" showIcon title={data.readOnlyReason} className="ps-alert" /> : null}
      {editable ? (
        <div className="ps-toolbar">
          <span className="ps-date">
            <VnDatePicker
              aria-label={t.measuredOn}
              prefix={<span className="ps-muted">{t.measuredOn}:</span>}
              allowClear={false}
              value={on}
              disabledDate={(d) => d.format('YYYY-MM-DD') > isoToday()}
              onChange={(iso) => iso && setOn(iso)}
              data-testid="measured-on"
            />
          </span>
          <Typography.Text type="secondary">{t.measurementHint}</Typography.Text>
        </div>
      ) : null}
      <ResponsiveList<Row>
        size="small"
        bordered
        rowKey="studentId"
        loading={q.isLoading}
        columns={columns}
        dataSource={data?.rows ?? []}
        pagination={false}
        itemTestId="measurement-card"
        onRow={() => ({ 'data-testid': 'measurement-row' }) as React.HTMLAttributes<HTMLElement>}
        card={(r, i) => (
          <div>
            <span className="card-title">
              {i + 1}. {r.fullName}
            </span>
            {r.dateOfBirth ? <div className="ps-muted">{`${t.dateOfBirth}: ${r.dateOfBirth}`}</div> : null}
            {lastCell(r)}
          </div>
        )}
        cardActions={(r) => inputs(r)}
      />
      {editable ? (
        <SaveBar label={t.saveMeasurements(filled.length)} pending={save.isPending} onSave={submit} testId="measurements-save" />
      ) : null}
    </div>
  );
}
