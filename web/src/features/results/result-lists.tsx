import { Alert } from 'antd';
import type { ClassResults } from '../../api/types';
import { vi } from '../../i18n/vi';
import { firstReasons } from './results-logic';

const t = vi.results;
type Lists = ClassResults['lists'];
type Named = { studentId: string; fullName: string; detail?: string };

/** The first three reasons (subjects sharing one named together), then how many more (the table's "Ghi chú" has them all). */

const YEAR_LISTS: (keyof Lists)[] = ['promoted', 'retest', 'summerTraining', 'retained', 'excellent', 'good'];
/** A primary class (TT27): its year lists are the awards of Điều 13 — Xuất sắc, Tiêu biểu, ad-hoc (no promotion lists: completion is per student, Điều 11). */
const PRIMARY_YEAR_LISTS: (keyof Lists)[] = ['excellent', 'tieuBieu', 'adHoc'];

/** One list: its title with the count, then the names (numbered), each with what it needs said. */
function NameList({ id, items }: { id: keyof Lists; items: Named[] }) {
  return (
    <section className={`rs-list${id === 'incomplete' ? ' rs-list-wide' : ''}`} data-testid={`results-list-${id}`}>
      <h3>
        {t.lists[id]} <span className="rs-list-count">({items.length})</span>
      </h3>
      {items.length ? (
        <ol>
          {items.map((x) => (
            <li key={x.studentId}>
              <span className="rs-name">{x.fullName}</span>
              {x.detail ? <span className="rs-list-detail">{x.detail}</span> : null}
            </li>
          ))}
        </ol>
      ) : (
        <p className="rs-note">{t.listEmpty}</p>
      )}
    </section>
  );
}

/** Lên lớp, kiểm tra lại (with subjects), rèn luyện trong hè, ở lại lớp (with the reason), the awards. */
export function ResultLists({ data }: { data: ClassResults }) {
  const l = data.lists;
  const detailed: Record<keyof Lists, Named[]> = {
    promoted: l.promoted,
    retest: l.retest.map((x) => ({
      ...x,
      detail: [x.subjects.length ? t.retestSubjects(x.subjects.join(', ')) : '', x.afterSummer ? t.afterSummer(x.afterSummer) : ''].filter(Boolean).join('. ') || undefined,
    })),
    summerTraining: l.summerTraining.map((x) => ({ ...x, detail: x.afterSummer ? t.afterSummer(x.afterSummer) : undefined })),
    retained: l.retained.map((x) => ({ ...x, detail: x.reason ? t.retainedReason(x.reason) : undefined })),
    excellent: l.excellent,
    good: l.good,
    tieuBieu: l.tieuBieu.map((x) => ({ ...x, detail: x.achievement })),
    adHoc: l.adHoc.map((x) => ({ ...x, detail: x.achievement })),
    incomplete: l.incomplete.map((x) => ({ ...x, detail: firstReasons(data.students.find((s) => s.studentId === x.studentId)?.missing ?? [], t.moreReasons) })),
  };
  return (
    <div className="rs-lists">
      {data.period !== 'cn' ? <Alert className="rs-alert" type="info" showIcon title={t.listsYearOnly} /> : null}
      <div className="rs-list-grid">
        {(data.period === 'cn' ? (data.ruleSet === 'tt27_2020' ? PRIMARY_YEAR_LISTS : YEAR_LISTS) : []).map((id) => (
          <NameList key={id} id={id} items={detailed[id]} />
        ))}
        <NameList id="incomplete" items={detailed.incomplete} />
      </div>
    </div>
  );
}
