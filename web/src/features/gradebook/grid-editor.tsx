import { Alert, Button, message as antdMessage } from 'antd';
import { flushSync } from 'react-dom';
import {
  type ClipboardEvent,
  type CSSProperties,
  type Dispatch,
  type FocusEvent,
  type KeyboardEvent,
  memo,
  type ReactNode,
  type SetStateAction,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { type CellValue, formatCell, gradebookRowSummary, parseCell } from '../../../../domain/index';
import type { Gradebook } from '../../api/types';
import { vi } from '../../i18n/vi';
import { PhrasePicker } from './comment-phrases';
import { type BaseCell, basesOf, type GridSync, type SyncSnapshot } from './grid-sync';
import { cellKey, editKey, type Notice } from './outbox';
import { isBlock, parseClipboardTable, pastePlan } from './paste';

const t = vi.gradebook;

/** A value the teacher typed that the column does not take: shown in place with the reason, never sent. */
export type Invalid = { text: string; message: string };
export type InvalidMap = ReadonlyMap<string, Invalid>;

type Column = Gradebook['columns'][number];
type Row = Gradebook['rows'][number];

/** One cell as the grid draws it. */
type CellView = {
  /** What the cell shows when not being typed in: an invalid text as typed, an unsent value, the saved value. */
  text: string;
  /** The value the row's summary counts: unsent or saved (an invalid text is not a value). */
  effective: string | null;
  pending: boolean;
  invalid: string | null;
  notice: Notice | null;
  correctedFrom: string | null;
};

type Handlers = {
  focus: (e: FocusEvent<HTMLInputElement>, r: number, c: number) => void;
  change: (text: string) => void;
  blur: (e: FocusEvent<HTMLInputElement>, r: number, c: number) => void;
  keyDown: (e: KeyboardEvent<HTMLInputElement>, r: number, c: number) => void;
  paste: (e: ClipboardEvent<HTMLInputElement>, r: number, c: number) => void;
};

const without = <K, V>(m: ReadonlyMap<K, V>, k: K): ReadonlyMap<K, V> => {
  if (!m.has(k)) return m;
  const n = new Map(m);
  n.delete(k);
  return n;
};

/** The message a cell carries (for its tooltip, the cell bar and screen readers); null when none. */
function cellMessage(cell: CellView, selfName: string, sending: boolean): { text: string; tone: 'error' | 'warning' | 'info' } | null {
  if (cell.invalid) return { text: t.invalidCell(cell.invalid), tone: 'error' };
  if (cell.notice?.kind === 'conflict') {
    const n = cell.notice;
    return { text: t.conflict(n.by, n.by === selfName, n.theirs, n.yours), tone: 'warning' };
  }
  if (cell.notice?.kind === 'rejected') return { text: t.rejected(cell.notice.message), tone: 'error' };
  if (cell.pending) return { text: sending ? t.sendingCell : t.pendingCell, tone: 'info' };
  if (cell.correctedFrom !== null) return { text: t.correctedCell(cell.correctedFrom), tone: 'info' };
  return null;
}

/** The app's sticky header (styles.css .app-header). */
const APP_HEADER_PX = 64;

const KIND_HINTS: Record<Column['kind'], string> = {
  score: t.hintScore,
  pass_fail: t.hintPassFail,
  comment: t.hintComment,
  subject_level: t.hintLevel,
  test_score: t.hintTest,
};
/** The phone keyboard a cell opens: a decimal comma for TT22 marks, digits only for a primary periodic test (1–10). */
const INPUT_MODES: Record<Column['kind'], 'decimal' | 'numeric' | 'text'> = {
  score: 'decimal',
  test_score: 'numeric',
  pass_fail: 'text',
  comment: 'text',
  subject_level: 'text',
};
const kindHint = (kind: Column['kind']) => KIND_HINTS[kind];
/** The one-tap values of the columns that take a level: TT22 Đ / CĐ, TT27 (primary) T / H / C. */
const QUICK_VALUES: Partial<Record<Column['kind'], ReadonlyArray<{ value: string; label: string }>>> = {
  pass_fail: [
    { value: 'Đ', label: t.passLabel },
    { value: 'CĐ', label: t.failLabel },
  ],
  subject_level: [
    { value: 'T', label: t.levelT },
    { value: 'H', label: t.levelH },
    { value: 'C', label: t.levelC },
  ],
};

/**
 * The gradebook grid: rows = students in class-list order, the grid's columns as the server sends
 * them (TT22: TX1…TXn, GK, CK, Nhận xét; primary, TT27: each checkpoint's level, periodic test and
 * comment, domain/assessment/primary-grid.ts) and the term summary computed in the browser with the
 * domain's gradebookRowSummary as the teacher types.
 * Keyboard like a spreadsheet: typing replaces the cell, Enter/↓ go down the column, ↑ up, ←/→
 * across, Tab right; a block pasted from Excel spreads from the focused cell. A cell is settled
 * when the teacher leaves it (or stops typing for a moment): a valid value goes to the outbox
 * (grid-sync.ts), an invalid one stays in place, red, with the reason.
 */
export function GridEditor({
  grid,
  sync,
  snap,
  editable,
  invalid,
  setInvalid,
  userId,
  userName,
  label,
  status,
}: {
  grid: Gradebook;
  sync: GridSync | null;
  snap: SyncSnapshot;
  editable: boolean;
  invalid: InvalidMap;
  setInvalid: Dispatch<SetStateAction<InvalidMap>>;
  userId: string;
  userName: string;
  label: string;
  /** The save status line, kept in view with the cell bar while the teacher scrolls down the class. */
  status: ReactNode;
}) {
  // The paste toasts open just under the bar above the grid, never over the save status it holds.
  const [toastTop, setToastTop] = useState(APP_HEADER_PX + 8);
  const [message, toastHolder] = antdMessage.useMessage({ top: toastTop, maxCount: 3 });
  const barRef = useRef<HTMLDivElement>(null);
  const [barHeight, setBarHeight] = useState(96);
  // The bar above the grid stays under the app's header while the page scrolls; the grid's box is
  // sized to fit below it, and a cell that takes the focus is scrolled clear of both.
  useEffect(() => {
    const el = barRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setBarHeight(Math.ceil(el.getBoundingClientRect().height)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  useEffect(() => {
    const root = document.documentElement;
    root.style.scrollPaddingTop = `${APP_HEADER_PX + barHeight + 8}px`;
    return () => {
      root.style.scrollPaddingTop = '';
    };
  }, [barHeight]);
  const tableRef = useRef<HTMLTableElement>(null);
  const cols = grid.columns;
  const rows = grid.rows;
  const gridBases = useMemo(() => basesOf(grid), [grid]);
  const bases: ReadonlyMap<string, BaseCell> = sync ? snap.bases : gridBases;
  const [active, setActive] = useState<{ r: number; c: number } | null>(null);
  const [focused, setFocused] = useState(false);
  const [buffer, setBuffer] = useState('');
  // What the cell showed when the teacher came to it (Escape goes back to it), and what was last settled since.
  const enteredText = useRef('');
  const focusText = useRef('');
  const committedSinceFocus = useRef(false);
  const idle = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const views = useMemo(() => {
    const noticeOf = new Map(snap.notices.map((n) => [editKey(n), n]));
    return rows.map((row) =>
      cols.map((col): CellView => {
        const k = cellKey(row.studentId, col.key);
        const base = bases.get(k);
        const pending = snap.outbox.get(k);
        const inv = invalid.get(k);
        const effective = pending ? pending.value : (base?.value ?? null);
        return {
          text: inv ? inv.text : (effective ?? ''),
          effective,
          pending: !!pending,
          invalid: inv?.message ?? null,
          notice: noticeOf.get(k) ?? null,
          correctedFrom: base?.correctedFrom ?? null,
        };
      }),
    );
  }, [rows, cols, bases, snap.outbox, snap.notices, invalid]);

  // ---- settling a cell ----

  /** Settles cell (r, c) on `text`: a valid value to the outbox, an invalid one marked in place. Returns the text the cell now shows. */
  const commit = (r: number, c: number, text: string): string => {
    const row = rows[r];
    const col = cols[c];
    const k = cellKey(row.studentId, col.key);
    const parsed = parseCell(col.kind, text);
    if (parsed.ok) {
      const value = formatCell(parsed.value) || null;
      setInvalid((m) => without(m, k));
      sync?.edit(row.studentId, col.key, value);
      return value ?? '';
    }
    setInvalid((m) => new Map(m).set(k, { text, message: parsed.message }));
    sync?.drop(row.studentId, col.key);
    return text;
  };

  const commitIfChanged = (r: number, c: number, text: string) => {
    if (text === focusText.current) return;
    commit(r, c, text);
    focusText.current = text;
    committedSinceFocus.current = true;
  };

  const inputAt = (r: number, c: number) => tableRef.current?.querySelector<HTMLInputElement>(`input[data-cell="${r}:${c}"]`) ?? null;
  const focusCell = (r: number, c: number) => {
    const input = inputAt(r, c);
    if (!input) return false;
    input.focus();
    return true;
  };

  const move = (r: number, c: number, toR: number, toC: number) => {
    if (toR < 0 || toR >= rows.length || toC < 0 || toC >= cols.length) {
      // The edge of the grid: the cell is settled, the focus stays.
      clearTimeout(idle.current);
      commitIfChanged(r, c, buffer);
      return;
    }
    focusCell(toR, toC);
  };

  // The handlers read this render's state; the rows get stable wrappers, so typing in one row redraws that row only.
  const impl = useRef<(Handlers & { idleCommit: (r: number, c: number) => void }) | null>(null);
  const activeRef = useRef<{ r: number; c: number } | null>(null);
  useLayoutEffect(() => {
    impl.current = {
      focus: (e, r, c) => {
        const text = e.currentTarget.value;
        enteredText.current = text;
        focusText.current = text;
        committedSinceFocus.current = false;
        setBuffer(text);
        setActive({ r, c });
        setFocused(true);
        e.currentTarget.select();
      },
      change: (text) => {
        setBuffer(text);
        clearTimeout(idle.current);
        // Stopped typing for a moment: the value is settled (and saved) without leaving the cell.
        idle.current = setTimeout(() => {
          const a = activeRef.current;
          if (a) impl.current?.idleCommit(a.r, a.c);
        }, 800);
      },
      blur: (e, r, c) => {
        clearTimeout(idle.current);
        commitIfChanged(r, c, buffer);
        setFocused(false);
        // Leaving the grid (to a button, another field, another app): send what is waiting now.
        if (!tableRef.current?.contains(e.relatedTarget)) void sync?.flushNow();
      },
      keyDown: (e, r, c) => {
        const input = e.currentTarget;
        const col = cols[c];
        const caretAt = (edge: 'start' | 'end') =>
          input.selectionStart === input.selectionEnd && input.selectionStart === (edge === 'start' ? 0 : input.value.length);
        switch (e.key) {
          case 'Enter':
            e.preventDefault();
            move(r, c, e.shiftKey ? r - 1 : r + 1, c);
            break;
          case 'ArrowDown':
            e.preventDefault();
            move(r, c, r + 1, c);
            break;
          case 'ArrowUp':
            e.preventDefault();
            move(r, c, r - 1, c);
            break;
          case 'ArrowLeft':
            // In a comment the arrows move the caret; at its start they move to the cell on the left.
            if (col.kind !== 'comment' || caretAt('start')) {
              e.preventDefault();
              move(r, c, r, c - 1);
            }
            break;
          case 'ArrowRight':
            if (col.kind !== 'comment' || caretAt('end')) {
              e.preventDefault();
              move(r, c, r, c + 1);
            }
            break;
          case 'Escape':
            // Back to what the cell held when the teacher came to it.
            e.preventDefault();
            clearTimeout(idle.current);
            setBuffer(enteredText.current);
            if (committedSinceFocus.current) commit(r, c, enteredText.current);
            focusText.current = enteredText.current;
            committedSinceFocus.current = false;
            break;
        }
      },
      paste: (e, r, c) => {
        const table = parseClipboardTable(e.clipboardData.getData('text/plain'));
        if (!isBlock(table)) return; // one value: the input takes it as typed
        e.preventDefault();
        clearTimeout(idle.current);
        const plan = pastePlan(table, { row: r, col: c }, rows.length, cols.length);
        let bad = 0;
        for (const p of plan.targets) {
          const shown = commit(p.row, p.col, p.text);
          if (!parseCell(cols[p.col].kind, p.text).ok) bad++;
          if (p.row === r && p.col === c) {
            setBuffer(shown);
            focusText.current = shown;
          }
        }
        const barBottom = barRef.current?.getBoundingClientRect().bottom ?? 0;
        flushSync(() => setToastTop(Math.max(APP_HEADER_PX, Math.ceil(barBottom)) + 8));
        message.info(t.pasted(plan.targets.length));
        if (plan.outside) message.warning(t.pastedOutside(plan.outside));
        if (bad) message.error(t.pastedInvalid(bad));
      },
      idleCommit: (r, c) => {
        if (focused) commitIfChanged(r, c, buffer);
      },
    };
    activeRef.current = focused ? active : null;
  });
  const h = useMemo<Handlers>(
    () => ({
      focus: (e, r, c) => impl.current?.focus(e, r, c),
      change: (text) => impl.current?.change(text),
      blur: (e, r, c) => impl.current?.blur(e, r, c),
      keyDown: (e, r, c) => impl.current?.keyDown(e, r, c),
      paste: (e, r, c) => impl.current?.paste(e, r, c),
    }),
    [],
  );

  // ---- the cell bar: where the teacher is, and what the cell says ----
  const a = active && active.r < rows.length && active.c < cols.length ? active : null;
  const activeView = a ? views[a.r][a.c] : null;
  const activeMsg = activeView ? cellMessage(activeView, userName, snap.sending) : null;

  /** Đ / CĐ with one tap (a phone's keyboard has no Đ key), then on to the next student, as Enter does. */
  const setQuickValue = (value: string) => {
    if (!a) return;
    const { r, c } = a;
    clearTimeout(idle.current);
    commit(r, c, value);
    if (focused) {
      setBuffer(value);
      focusText.current = value;
      committedSinceFocus.current = true;
    }
    if (r + 1 < rows.length) setTimeout(() => focusCell(r + 1, c), 0);
  };

  const pickPhrase = (phrase: string) => {
    if (!a || cols[a.c].kind !== 'comment') return;
    const now = views[a.r][a.c].text.trim();
    const text = now ? `${now} ${phrase}` : phrase;
    commit(a.r, a.c, text);
    // Back to the cell, to go on typing or move down to the next student.
    setTimeout(() => focusCell(a.r, a.c), 0);
  };

  const rowIndex = useMemo(() => new Map(rows.map((row, i) => [row.studentId, i])), [rows]);
  const colIndex = useMemo(() => new Map(cols.map((col, i) => [col.key, i])), [cols]);
  const goTo = (n: Notice) => {
    const r = rowIndex.get(n.studentId);
    const c = colIndex.get(n.column);
    if (r !== undefined && c !== undefined) focusCell(r, c);
  };

  const summaryTitle = grid.assessment === 'score' ? t.averageTitle : t.resultTitle;
  return (
    <div className="gb-editor" style={{ '--gb-bar-h': `${barHeight}px` } as CSSProperties}>
      {toastHolder}
      {snap.notices.length ? (
        <Alert
          type="warning"
          showIcon
          className="gb-notices"
          data-testid="gradebook-notices"
          title={t.noticesTitle(snap.notices.length)}
          description={
            <ul className="gb-notice-list">
              {snap.notices.slice(0, 30).map((n) => {
                const r = rowIndex.get(n.studentId);
                const c = colIndex.get(n.column);
                const where = t.noticeWhere(r !== undefined ? rows[r].fullName : vi.common.none, c !== undefined ? cols[c].label : n.column.toUpperCase());
                const text = n.kind === 'conflict' ? t.conflict(n.by, n.by === userName, n.theirs, n.yours) : t.rejected(n.message);
                return (
                  <li key={editKey(n)} data-testid="gradebook-notice">
                    <strong>{where}:</strong> {text}{' '}
                    {r !== undefined && c !== undefined && editable ? (
                      <Button size="small" type="link" onClick={() => goTo(n)}>
                        {t.goToCell}
                      </Button>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          }
          action={
            <Button size="small" onClick={() => sync?.dismiss()}>
              {t.dismissAll}
            </Button>
          }
        />
      ) : null}
      <div className="gb-sticky" ref={barRef}>
        {status}
        {editable ? (
          <div className="gb-cellbar" data-testid="gradebook-cellbar">
            {a && activeView ? (
              <>
                <div className="gb-cellbar-where">
                  <strong>{rows[a.r].fullName}</strong> · {cols[a.c].title}
                </div>
                <div className={`gb-cellbar-msg gb-tone-${activeMsg?.tone ?? 'hint'}`} data-testid="gradebook-cell-message">
                  {activeMsg?.text ?? (
                    <>
                      <span className="gb-hint-long">{kindHint(cols[a.c].kind)}</span>
                      <span className="gb-hint-short">{t.hintShort[cols[a.c].kind]}</span>
                    </>
                  )}
                </div>
                {QUICK_VALUES[cols[a.c].kind] ? (
                <div className="gb-cellbar-tools">
                  {QUICK_VALUES[cols[a.c].kind]?.map((v) => (
                    <Button key={v.value} size="small" onMouseDown={(e) => e.preventDefault()} onClick={() => setQuickValue(v.value)} data-testid={`gradebook-set-${v.value}`}>
                      {v.label}
                    </Button>
                  ))}
                </div>
              ) : null}
              {cols[a.c].kind === 'comment' ? (
                  <div className="gb-cellbar-tools">
                    <PhrasePicker userId={userId} current={focused ? buffer : activeView.text} onPick={pickPhrase} />
                  </div>
                ) : null}
              </>
            ) : (
              <div className="gb-cellbar-msg gb-tone-hint">{t.hintNone}</div>
            )}
          </div>
        ) : null}
      </div>
      <Legend editable={editable} corrected={views.some((cells) => cells.some((c) => c.correctedFrom !== null))} />
      <div className="gb-scroll" role="region" aria-label={t.gridRegion(label)} tabIndex={editable ? undefined : 0} data-testid="gradebook-grid">
        <table ref={tableRef} className={`gb-table${editable ? ' gb-editable' : ''}`}>
          <thead>
            <tr>
              <th scope="col" className="gb-stt">
                {t.stt}
              </th>
              <th scope="col" className="gb-name">
                {t.name}
              </th>
              {cols.map((col, c) => (
                <th scope="col" key={col.key} className={`gb-col gb-col-${col.kind}${a && focused && a.c === c ? ' gb-col-active' : ''}`}>
                  <abbr title={col.title}>{col.label}</abbr>
                </th>
              ))}
              <th scope="col" className="gb-sum">
                <abbr title={summaryTitle}>{grid.assessment === 'score' ? t.average : t.result}</abbr>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, r) => (
              <GridRow
                key={row.studentId}
                r={r}
                row={row}
                cols={cols}
                cells={views[r]}
                focusCol={focused && a?.r === r ? a.c : -1}
                buffer={focused && a?.r === r ? buffer : ''}
                editable={editable}
                h={h}
                grid={grid}
                selfName={userName}
                sending={snap.sending}
              />
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** What the marks on the cells mean (a read-only grid has only corrections to explain). */
function Legend({ editable, corrected }: { editable: boolean; corrected: boolean }) {
  if (!editable && !corrected) return null;
  return (
    <div className="gb-legend" aria-hidden>
      {editable ? (
        <>
          <span>
            <i className="gb-legend-pending" /> {t.legendPending}
          </span>
          <span>
            <i className="gb-legend-invalid" /> {t.legendInvalid}
          </span>
          <span>
            <i className="gb-legend-conflict" /> {t.legendConflict}
          </span>
        </>
      ) : null}
      <span>
        <s className="gb-old">7</s> <span className="gb-corrected-sample">8</span> {t.legendCorrected}
      </span>
    </div>
  );
}

type RowProps = {
  r: number;
  row: Row;
  cols: Column[];
  cells: CellView[];
  focusCol: number;
  buffer: string;
  editable: boolean;
  h: Handlers;
  grid: Pick<Gradebook, 'ruleSet' | 'assessment' | 'requiredRegular'>;
  selfName: string;
  sending: boolean;
};

/** One student's row; drawn again only when its cells, or the cell being typed in it, change. */
const GridRow = memo(function GridRow({ r, row, cols, cells, focusCol, buffer, editable, h, grid, selfName, sending }: RowProps) {
  // The summary as the teacher types: the cell being typed counts as soon as it holds a value.
  const summary = useMemo(() => {
    const values: Record<string, CellValue | null> = {};
    cols.forEach((col, c) => {
      let p = parseCell(col.kind, c === focusCol ? buffer : (cells[c].effective ?? ''));
      if (!p.ok) p = parseCell(col.kind, cells[c].effective ?? '');
      values[col.key] = p.ok ? p.value : null;
    });
    // The shared rule picks TT22 or, in a primary grid, TT27 from the grid's rule set and columns.
    return gradebookRowSummary({ ruleSet: grid.ruleSet, assessment: grid.assessment, requiredRegular: grid.requiredRegular, columns: cols }, values);
  }, [cols, cells, focusCol, buffer, grid.ruleSet, grid.assessment, grid.requiredRegular]);
  const incomplete = summary.outcome.status === 'incomplete' ? summary.outcome.reasons : null;

  return (
    <tr data-testid="gradebook-row">
      <td className="gb-stt">{r + 1}</td>
      <th scope="row" className="gb-name">
        {row.fullName}
        {row.membership !== 'whole_term' ? <span className="gb-membership">{t.membership[row.membership]}</span> : null}
        {row.exempt ? (
          <span className="gb-membership" data-testid="gradebook-exempt">
            {row.exempt}
          </span>
        ) : null}
      </th>
      {cols.map((col, c) => {
        const cell = cells[c];
        const msg = cellMessage(cell, selfName, sending);
        const msgId = `gb-msg-${r}-${c}`;
        const cls = [
          'gb-cell',
          `gb-cell-${col.kind}`,
          cell.pending ? 'gb-pending' : '',
          cell.invalid || cell.notice?.kind === 'rejected' ? 'gb-invalid' : '',
          cell.notice?.kind === 'conflict' ? 'gb-conflict' : '',
          cell.correctedFrom !== null ? 'gb-corrected' : '',
        ]
          .filter(Boolean)
          .join(' ');
        // As on paper: the mark the locked grid showed, struck through, before the corrected one.
        const old = cell.correctedFrom !== null ? (
          <s className="gb-old" aria-hidden>
            {cell.correctedFrom || '∅'}
          </s>
        ) : null;
        return (
          <td key={col.key} className={cls} title={msg?.text}>
            <div className="gb-cellwrap">
              {old}
              {row.exempt ? (
                // Miễn học (TT22 Điều 11): the server refuses a mark here; the cell says why instead of taking one.
                editable ? (
                  <input
                    className="gb-input"
                    data-cell={`${r}:${c}`}
                    value={t.exemptCell}
                    readOnly
                    aria-label={`${t.cellLabel(col.kind, col.label, row.fullName)}: ${row.exempt}`}
                    onFocus={(e) => h.focus(e, r, c)}
                    onKeyDown={(e) => h.keyDown(e, r, c)}
                  />
                ) : (
                  <span className="gb-value">{t.exemptCell}</span>
                )
              ) : editable ? (
                <input
                  className="gb-input"
                  data-cell={`${r}:${c}`}
                  value={c === focusCol ? buffer : cell.text}
                  aria-label={t.cellLabel(col.kind, col.label, row.fullName)}
                  aria-invalid={cell.invalid || cell.notice?.kind === 'rejected' ? true : undefined}
                  aria-describedby={msg ? msgId : undefined}
                  inputMode={INPUT_MODES[col.kind]}
                  enterKeyHint="next"
                  autoComplete="off"
                  autoCorrect="off"
                  spellCheck={col.kind === 'comment'}
                  maxLength={col.kind === 'comment' ? 2000 : 20}
                  onFocus={(e) => h.focus(e, r, c)}
                  onChange={(e) => h.change(e.target.value)}
                  onBlur={(e) => h.blur(e, r, c)}
                  onKeyDown={(e) => h.keyDown(e, r, c)}
                  onPaste={(e) => h.paste(e, r, c)}
                />
              ) : (
                <span className="gb-value">{cell.text}</span>
              )}
            </div>
            {msg ? (
              <span id={msgId} className="sr-only">
                {msg.text}
              </span>
            ) : null}
          </td>
        );
      })}
      <td className="gb-sum" data-testid="gradebook-summary" title={incomplete ? incomplete.join('; ') : undefined}>
        {row.exempt ? <strong>{t.exemptCell}</strong> : incomplete ? <span className="gb-incomplete">{t.incompleteShort}</span> : <strong>{summary.text}</strong>}
        {incomplete && !row.exempt ? <span className="sr-only">: {incomplete.join('; ')}</span> : null}
      </td>
    </tr>
  );
});
