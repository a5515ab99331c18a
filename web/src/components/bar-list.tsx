import { fmtNum, fmtPct } from './format';

export type Bar = { key: string; label: string; value: number; part?: number; hint?: string };

/**
 * Horizontal bars in plain CSS (no chart library). `part` draws a darker share inside the bar
 * (e.g. girls among students); the value and share are printed for screen readers and print.
 */
export function BarList({ bars, partLabel, color = '#1677ff', partColor = '#eb2f96' }: { bars: Bar[]; partLabel?: string; color?: string; partColor?: string }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  return (
    <div className="bar-list" role="list">
      {bars.map((b) => (
        <div className="bar-row" role="listitem" key={b.key}>
          <div className="bar-label" title={b.label}>
            {b.label}
          </div>
          <div className="bar-track" aria-hidden>
            <div className="bar-fill" style={{ width: `${(b.value / max) * 100}%`, background: color }}>
              {b.part !== undefined && b.value > 0 ? (
                <div className="bar-part" style={{ width: `${(b.part / b.value) * 100}%`, background: partColor }} />
              ) : null}
            </div>
          </div>
          <div className="bar-value">
            {fmtNum(b.value)}
            {b.hint ? <span className="bar-hint"> · {b.hint}</span> : null}
            {b.part !== undefined && partLabel ? (
              <span className="bar-hint">
                {' '}
                · {partLabel} {fmtPct(b.part, b.value)}%
              </span>
            ) : null}
          </div>
        </div>
      ))}
    </div>
  );
}
