/**
 * The học bạ as a printable (and signable, platform/pdf-sign.ts) PDF: the secondary book of the
 * TT22/2021 annex (THCS, THPT) and the primary book of TT27/2020, laid out after the paper forms
 * as far as they are known here (domain-vn §3): a first page with the cover's and page 1's facts,
 * then one page per school year — the subjects with their term and year results, the teachers'
 * comments, the year's results, promotion, award, the homeroom teacher's comment and the
 * principal's approval. A year that does not fit on its page goes on over the next one with the
 * table header repeated; nothing is ever clipped.
 *
 * Pure: it takes what is to be printed, already decided and formatted (the gradebook and the
 * domain rules produce it), and draws it. It computes no result and looks nothing up, so what is
 * printed is exactly what the school approved.
 *
 * Corrections are drawn as the paper rules ask for red ink: the old value stays, struck through
 * in red, the new value in red beside it with a number, and under the table the paper's line
 * "Trong bảng này có sửa chữa ở … chỗ, thuộc các môn học: …" with one note per correction.
 */
import PDFDocument from 'pdfkit';
import { dejaVu } from '../../platform/pdf-fonts.js';
import {
  QUALITIES_AND_COMPETENCIES,
  QUALITY_GROUP_LABELS,
  QUALITY_LEVEL_LABELS,
  SUBJECT_LEVEL_SHORT,
  YEAR_OUTCOME_LABELS,
  type QualityCode,
  type QualityGroup,
  type QualityLevel,
  type SubjectLevel,
  type YearOutcome,
} from '../../../../domain/index.js';

// ---------------------------------------------------------------------------------------------
// What is printed
// ---------------------------------------------------------------------------------------------

/**
 * A value changed after it was written: printed as on paper — `was` struck through in red, `now`
 * in red beside it — with `note` (why, who, when: "Nhập nhầm điểm cuối kì; GV Trần Thị Hoa sửa
 * ngày 20/05/2025") in the notes under the table.
 */
export type Correction<T = string> = { was: T; now: T; note: string };
/** A value as written, or corrected. */
export type Correctable<T = string> = T | Correction<T>;

export type HocBaGuardian = {
  /** "Cha", "Mẹ", "Người giám hộ": printed as "Họ và tên cha: …". */
  relation: string;
  name: string;
  occupation?: string;
};

export type HocBaStudent = {
  fullName: string;
  /** dd/mm/yyyy */
  dateOfBirth: string;
  /** "Nam" / "Nữ" */
  sex: string;
  ethnicity: string;
  placeOfBirth: string;
  /** Chỗ ở hiện tại. */
  address: string;
  /** The Ministry's learner id (mã định danh), when known. */
  learnerId?: string;
  guardians: HocBaGuardian[];
};

export type HocBaSchool = {
  /** The full name, as on the seal: "Trường THCS Nguyễn Tri Phương". */
  name: string;
  /** Xã / phường (since 1/7/2025 there is no district level, domain-vn §0). */
  commune?: string;
  province: string;
};

/** Who signs, where and when: printed "Hà Nội, ngày 25 tháng 5 năm 2025", the title, the name. */
export type HocBaSignature = { place: string; /** dd/mm/yyyy */ date: string; name: string };

/** One subject or educational activity of a secondary year (TT22 Điều 5). */
export type HocBaSubject = {
  name: string;
  /**
   * ĐTBmhk I, II and ĐTBmcn as written ("8,3", formatTenths), or "Đ" / "CĐ" for a subject
   * assessed by comment, or "Miễn" for an exempt student (Điều 11); "" when not assessed.
   */
  term1: Correctable;
  term2: Correctable;
  year: Correctable;
  /** Điểm hoặc mức đánh giá lại after the summer re-test (Điều 13), when there was one. */
  retest?: Correctable;
  /** The subject teacher's comment for the year. */
  comment?: string;
  /** The subject teacher's name (signs beside it on paper). */
  teacher?: string;
};

/** A result for each term and the year: LEVEL_LABELS of domain/assessment/tt22 ("Tốt" …). */
export type HocBaTermResults = { term1: Correctable; term2: Correctable; year: Correctable };

export type HocBaYear = {
  /** "2024-2025" */
  schoolYear: string;
  className: string;
  /** The school of this year when it is not the book's school (a transfer). */
  school?: HocBaSchool;
  subjects: HocBaSubject[];
  /** Kết quả học tập (Điều 9). */
  learning: HocBaTermResults;
  /** Kết quả rèn luyện (Điều 8). */
  training: HocBaTermResults;
  /** Tổng số buổi nghỉ học cả năm học. */
  sessionsAbsent: number | string;
  /**
   * Điều 12–14: `decision` is a PROMOTION_LABELS value ("Được lên lớp", "Ở lại lớp", "Kiểm tra
   * lại", "Rèn luyện trong kì nghỉ hè"); `result` what came of the re-test or summer training
   * ("Được lên lớp sau kiểm tra lại").
   */
  promotion: { decision: string; result?: string };
  /** AWARD_LABELS value ("Học sinh Xuất sắc", "Học sinh Giỏi"), when awarded. */
  award?: string;
  /** E.g. "Được công nhận hoàn thành chương trình trung học cơ sở" in the last grade. */
  completion?: string;
  homeroomComment: string;
  homeroomTeacher: string;
  /** The principal's approval; `approval` defaults to "Đồng ý với nhận xét của giáo viên chủ nhiệm." */
  principal: HocBaSignature & { approval?: string };
};

export type HocBaData = {
  level: 'thcs' | 'thpt';
  /** Số đăng bộ, as the cover writes it: "125/THCS". */
  registerNumber: string;
  school: HocBaSchool;
  student: HocBaStudent;
  /** The principal who opened the book (page 1 is filled and signed when the book is opened). */
  opened?: HocBaSignature;
  years: HocBaYear[];
};

/** One subject or educational activity of a primary year (TT27 Điều 7). */
export type PrimaryHocBaSubject = {
  name: string;
  /** Mức đạt được cuối năm (printed T / H / C); 'exempt' prints "Miễn"; null (not assessed) an empty cell. */
  level: Correctable<SubjectLevel> | 'exempt' | null;
  /** Điểm bài kiểm tra định kì cuối năm ("8"), for the subjects that have one. */
  testScore?: Correctable | null;
  comment?: string;
};

export type PrimaryHocBaYear = {
  schoolYear: string;
  className: string;
  school?: HocBaSchool;
  subjects: PrimaryHocBaSubject[];
  /** Levels at the end of the year; a quality not given prints an empty cell. */
  qualities: Partial<Record<QualityCode, Correctable<QualityLevel>>>;
  /** The teacher's comment on each group (phẩm chất, năng lực chung, năng lực đặc thù). */
  qualityComments?: Partial<Record<QualityGroup, string>>;
  /**
   * Điều 9: Hoàn thành xuất sắc / tốt / Hoàn thành / Chưa hoàn thành; null when the close found
   * the record incomplete (the cell stays empty: a missing entry is never printed as a level).
   */
  outcome: Correctable<YearOutcome> | null;
  /** Điều 11, from gradeCompletion / completionAfterSupport: "Hoàn thành chương trình lớp học". */
  completion: string;
  /** PRIMARY_AWARD_LABELS value, when awarded. */
  award?: string;
  sessionsAbsent?: number | string;
  homeroomComment: string;
  homeroomTeacher: string;
  principal: HocBaSignature & { approval?: string };
};

export type PrimaryHocBaData = {
  registerNumber: string;
  school: HocBaSchool;
  student: HocBaStudent;
  opened?: HocBaSignature;
  years: PrimaryHocBaYear[];
};

/**
 * A student's book in the layout of their grade's rule set (domain/assessment/rule-sets.ts): the
 * secondary book of TT22/2021 or the primary book of TT27/2020. One value so the routes, the
 * signing and the batch's worker threads carry either without knowing which.
 */
export type HocBaBook = { layout: 'tt22'; data: HocBaData } | { layout: 'tt27'; data: PrimaryHocBaData };

/** Lays out a book in its own layout. */
export function renderBook(book: HocBaBook): Promise<Buffer> {
  return book.layout === 'tt27' ? renderPrimaryHocBaPdf(book.data) : renderHocBaPdf(book.data);
}

// ---------------------------------------------------------------------------------------------
// Drawing
// ---------------------------------------------------------------------------------------------

const LEVEL_TITLES = { thcs: 'TRUNG HỌC CƠ SỞ', thpt: 'TRUNG HỌC PHỔ THÔNG', th: 'TIỂU HỌC' } as const;
type BookLevel = keyof typeof LEVEL_TITLES;

// DejaVu covers every Vietnamese letter and tone mark (pdfkit's built-in fonts do not); the serif
// condensed cut is closest to the Times of official forms and fits the narrow mark columns.
const FONT_FILES = {
  regular: 'DejaVuSerifCondensed.ttf',
  bold: 'DejaVuSerifCondensed-Bold.ttf',
  italic: 'DejaVuSerifCondensed-Italic.ttf',
} as const;
type Face = keyof typeof FONT_FILES;
const MARGIN = 36;
const FOOTER = 18;
const PAD = 3;
const LINE_GAP = 0.5;
const BODY = 8.5;
const CELL = 8;
const FIELD = 9;
const RED = '#c00000';
const RULE = '#555555';

type Align = 'left' | 'center' | 'right';
type Cell = Correctable;
type Column = { header: string; width: number; align?: Align };
type Table = {
  columns: Column[];
  /** One header over several columns ("Điểm trung bình môn học…" over HK I, HK II, Cả năm). */
  group?: { label: string; first: number; count: number };
  /** The first cell of a row names it (the subject) in the notes on corrections. */
  rows: Cell[][];
};
type NotedCorrection = Correction & { where: string };

/** Whether a value was corrected. */
export const isCorrection = <T>(v: Correctable<T> | undefined | null): v is Correction<T> => typeof v === 'object' && v !== null && 'was' in v && 'now' in v;
function mapCorrectable<T>(v: Correctable<T>, label: (t: T) => string): Correctable {
  return isCorrection(v) ? { was: label(v.was), now: label(v.now), note: v.note } : label(v);
}
const nfc = (s: string | number | undefined | null): string => String(s ?? '').normalize('NFC');

/** "Hà Nội, ngày 05 tháng 01 năm 2025": NĐ 30/2020 writes a day below 10 and months 1–2 with a leading 0. */
export function signatureDateLine(place: string, ddmmyyyy: string): string {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(ddmmyyyy.trim());
  if (!m) return `${place}, ${ddmmyyyy}`; // printed as given rather than guessed
  const day = Number(m[1]);
  const month = Number(m[2]);
  return `${place}, ngày ${day < 10 ? `0${day}` : day} tháng ${month <= 2 ? `0${month}` : month} năm ${m[3]}`;
}

/**
 * One PDF being drawn top to bottom: `y` is where the next block starts; a block that does not fit
 * above the footer opens a new page, which starts with the continuation line of the current year.
 */
class Sheet {
  readonly doc: PDFKit.PDFDocument;
  readonly left = MARGIN;
  readonly width: number;
  readonly bottom: number;
  y = MARGIN;
  /** Drawn at the top of a page opened because the current section ran over. */
  continuation: (() => void) | null = null;
  /** Corrections of the section being drawn, numbered in order; noted under their table. */
  corrections: NotedCorrection[] = [];

  constructor(title: string) {
    this.doc = new PDFDocument({ size: 'A4', margin: MARGIN, bufferPages: true, info: { Title: title, Creator: 'Trường Số' } });
    for (const [face, file] of Object.entries(FONT_FILES)) this.doc.registerFont(face, dejaVu(file));
    this.width = this.doc.page.width - 2 * MARGIN;
    this.bottom = this.doc.page.height - MARGIN - FOOTER;
  }

  style(face: Face, size: number, color = 'black'): PDFKit.PDFDocument {
    return this.doc.font(face).fontSize(size).fillColor(color);
  }
  heightOf(text: string, face: Face, size: number, width: number, indent = 0): number {
    this.style(face, size);
    return this.doc.heightOfString(text, { width, lineGap: LINE_GAP, indent });
  }
  widthOf(text: string, face: Face, size: number): number {
    this.style(face, size);
    return this.doc.widthOfString(text);
  }
  /** Draws text in a box `width` wide at (x, y); never moves `this.y`. */
  put(text: string, x: number, y: number, width: number, face: Face, size: number, align: Align = 'left', color = 'black'): void {
    this.style(face, size, color).text(text, x, y, { width, align, lineGap: LINE_GAP });
  }

  /** A new section (a year): its own page and its own correction numbers. */
  section(continuation: () => void): void {
    this.doc.addPage();
    this.y = MARGIN;
    this.corrections = [];
    this.continuation = continuation;
  }
  /** Keeps the next `height` points together: on this page if they fit, else on a new one. */
  room(height: number): void {
    if (this.y + height <= this.bottom) return;
    this.doc.addPage();
    this.y = MARGIN;
    this.continuation?.();
  }
  gap(points: number): void {
    this.y += points;
  }

  /** A paragraph across the page (or `width` from `x`), kept whole. */
  para(text: string, opts: { face?: Face; size?: number; align?: Align; color?: string; x?: number; width?: number; after?: number } = {}): void {
    const { face = 'regular', size = BODY, align = 'left', color = 'black', x = this.left, width = this.width, after = 2 } = opts;
    const t = nfc(text);
    const h = this.heightOf(t, face, size, width);
    this.room(h);
    this.put(t, x, this.y, width, face, size, align, color);
    this.y += h + after;
  }

  /**
   * "Label: value", the label in bold and the value wrapping under it. The value is drawn as its
   * own paragraph whose first line is indented by the label's width, so the height measured is
   * the height drawn (one font per measurement).
   */
  private fieldParts(label: string, value: string, width: number) {
    const head = `${nfc(label)}: `;
    const text = nfc(value).replace(/\s+/g, ' ').trim() || ' ';
    const indent = Math.min(this.widthOf(head, 'bold', FIELD), width - 20);
    return { head, text, indent, height: this.heightOf(text, 'regular', FIELD, width, indent) };
  }
  /** Fields side by side, each in its share of the width; the row is as tall as its tallest field. */
  fields(pairs: Array<[string, string]>, shares: number[] = pairs.map(() => 1)): void {
    const total = shares.reduce((a, b) => a + b, 0);
    const widths = shares.map((s) => (this.width * s) / total - 6);
    const parts = pairs.map(([l, v], i) => this.fieldParts(l, v, widths[i]));
    const height = Math.max(...parts.map((p) => p.height));
    this.room(height);
    let x = this.left;
    for (const [i, p] of parts.entries()) {
      this.style('bold', FIELD).text(p.head, x, this.y, { lineBreak: false });
      this.style('regular', FIELD).text(p.text, x, this.y, { width: widths[i], lineGap: LINE_GAP, indent: p.indent });
      x += widths[i] + 6;
    }
    this.y += height + 3;
  }

  heading(text: string): void {
    const h = this.heightOf(text, 'bold', 9.5, this.width);
    this.room(h + 40); // a heading never ends a page: it stays with the first lines under it
    this.gap(4);
    this.put(nfc(text), this.left, this.y, this.width, 'bold', 9.5);
    this.y += h + 3;
  }

  // --- tables --------------------------------------------------------------------------------

  /** `n`: the number a correction in this cell will be given (its width counts). */
  private cellHeight(cell: Cell, width: number, face: Face, n: number): number {
    if (!isCorrection(cell)) return this.heightOf(nfc(cell), face, CELL, width - 2 * PAD) + 2 * PAD;
    const lines = this.correctionFitsOneLine(cell, width, n) ? 1 : 2;
    return lines * (CELL + 2) + 2 * PAD;
  }
  private correctionWidths(c: Correction, n: number) {
    return { was: this.widthOf(nfc(c.was), 'regular', CELL), now: this.widthOf(nfc(c.now), 'bold', CELL), mark: this.widthOf(`(${n})`, 'regular', CELL * 0.7), gap: 2.5 };
  }
  private correctionFitsOneLine(c: Correction, width: number, n: number): boolean {
    const w = this.correctionWidths(c, n);
    return w.was + w.gap + w.now + w.mark <= width - 2 * PAD;
  }

  /**
   * The paper rule: the old value stays, struck through in red; the new one is written in red,
   * above and to the right of it, with its number; the note is under the table.
   */
  private drawCorrection(c: Correction, where: string, x: number, y: number, width: number, align: Align): void {
    this.corrections.push({ ...c, where });
    const n = this.corrections.length;
    const w = this.correctionWidths(c, n);
    const oneLine = this.correctionFitsOneLine(c, width, n);
    const inner = width - 2 * PAD;
    const lineWidth = oneLine ? w.was + w.gap + w.now + w.mark : Math.max(w.was, w.now + w.mark);
    const start = x + PAD + (align === 'center' ? Math.max(0, (inner - lineWidth) / 2) : align === 'right' ? Math.max(0, inner - lineWidth) : 0);
    const top = y + PAD + (oneLine ? 1 : 0);
    this.style('regular', CELL).text(nfc(c.was), start, top, { lineBreak: false });
    const strikeY = top + CELL * 0.62;
    this.doc.save().moveTo(start - 0.5, strikeY).lineTo(start + w.was + 0.5, strikeY).lineWidth(0.8).strokeColor(RED).stroke().restore();
    const nowX = oneLine ? start + w.was + w.gap : start;
    const nowY = oneLine ? top - CELL * 0.3 : top + CELL + 2;
    this.style('bold', CELL, RED).text(nfc(c.now), nowX, nowY, { lineBreak: false });
    this.style('regular', CELL * 0.7, RED).text(`(${n})`, nowX + w.now, nowY - 1, { lineBreak: false });
    this.doc.fillColor('black');
  }

  private headerHeights(t: Table): { top: number; below: number } {
    const own = t.columns.map((c) => this.heightOf(nfc(c.header), 'bold', CELL - 0.5, c.width - 2 * PAD) + 2 * PAD);
    if (!t.group) return { top: 0, below: Math.max(...own) };
    const { first, count, label } = t.group;
    const groupWidth = t.columns.slice(first, first + count).reduce((a, c) => a + c.width, 0);
    const top = this.heightOf(nfc(label), 'bold', CELL - 0.5, groupWidth - 2 * PAD) + 2 * PAD;
    const inGroup = (i: number) => i >= first && i < first + count;
    const belowGrouped = Math.max(...own.filter((_, i) => inGroup(i)));
    const ungrouped = Math.max(0, ...own.filter((_, i) => !inGroup(i)));
    return { top, below: Math.max(belowGrouped, ungrouped - top) };
  }

  private drawHeader(t: Table, left: number): void {
    const { top, below } = this.headerHeights(t);
    const y = this.y;
    let x = left;
    const g = t.group;
    for (const [i, c] of t.columns.entries()) {
      const grouped = g !== undefined && i >= g.first && i < g.first + g.count;
      const cy = grouped ? y + top : y;
      const ch = grouped ? below : top + below;
      this.doc.rect(x, cy, c.width, ch).lineWidth(0.6).stroke(RULE);
      const th = this.heightOf(nfc(c.header), 'bold', CELL - 0.5, c.width - 2 * PAD);
      this.put(nfc(c.header), x + PAD, cy + Math.max(PAD, (ch - th) / 2), c.width - 2 * PAD, 'bold', CELL - 0.5, 'center');
      x += c.width;
    }
    if (g) {
      const gx = left + t.columns.slice(0, g.first).reduce((a, c) => a + c.width, 0);
      const gw = t.columns.slice(g.first, g.first + g.count).reduce((a, c) => a + c.width, 0);
      this.doc.rect(gx, y, gw, top).lineWidth(0.6).stroke(RULE);
      this.put(nfc(g.label), gx + PAD, y + PAD, gw - 2 * PAD, 'bold', CELL - 0.5, 'center');
    }
    this.y = y + top + below;
  }

  private rowHeights(t: Table): number[] {
    let n = this.corrections.length; // corrections are numbered row by row, as they are drawn
    return t.rows.map((row) => Math.max(...row.map((cell, i) => this.cellHeight(cell, t.columns[i].width, i === 0 ? 'bold' : 'regular', isCorrection(cell) ? ++n : n))));
  }
  tableHeight(t: Table): number {
    const { top, below } = this.headerHeights(t);
    return top + below + this.rowHeights(t).reduce((a, b) => a + b, 0) + 3;
  }

  /**
   * A table from `left` (the page's left edge unless two stand side by side) whose header repeats
   * on every page it runs over; a row is never split. (A single row taller than a page, some
   * thousands of characters of comment, would run past the footer: no real comment is that long.)
   */
  table(t: Table, left = this.left): void {
    const { top, below } = this.headerHeights(t);
    const heights = this.rowHeights(t);
    this.room(top + below + (heights[0] ?? 0));
    this.drawHeader(t, left);
    for (const [r, row] of t.rows.entries()) {
      if (this.y + heights[r] > this.bottom) {
        this.room(Infinity);
        this.drawHeader(t, left);
      }
      let x = left;
      for (const [i, cell] of row.entries()) {
        const c = t.columns[i];
        this.doc.rect(x, this.y, c.width, heights[r]).lineWidth(0.6).stroke(RULE);
        if (isCorrection(cell)) {
          this.drawCorrection(cell, `${nfc(isCorrection(row[0]) ? row[0].now : row[0])}, ${nfc(c.header)}`, x, this.y, c.width, c.align ?? 'left');
        } else {
          this.put(nfc(cell), x + PAD, this.y + PAD, c.width - 2 * PAD, i === 0 ? 'bold' : 'regular', CELL, c.align ?? 'left');
        }
        x += c.width;
      }
      this.y += heights[r];
    }
    this.gap(3);
  }

  /**
   * The paper's line under a table ("Trong bảng này có sửa chữa ở 1 chỗ, thuộc các môn học: Toán")
   * and one numbered note per correction, from `from` on (the corrections of this table).
   */
  correctionNotes(from: number, what: 'subjects' | 'results'): void {
    const notes = this.corrections.slice(from);
    if (notes.length === 0) return;
    const names = [...new Set(notes.map((n) => n.where.split(', ')[0]))];
    this.para(
      what === 'subjects'
        ? `Trong bảng này có sửa chữa ở ${notes.length} chỗ, thuộc các môn học: ${names.join(', ')}.`
        : `Trong bảng này có sửa chữa ở ${notes.length} chỗ: ${names.join(', ')}.`,
      { face: 'italic', size: BODY - 0.5, color: RED, after: 1 },
    );
    for (const [i, n] of notes.entries()) {
      this.para(`(${from + i + 1}) ${n.where}: ${nfc(n.was)} sửa thành ${nfc(n.now)}. ${nfc(n.note)}`, { size: BODY - 0.5, color: RED, x: this.left + 8, width: this.width - 8, after: 1 });
    }
    this.gap(2);
  }

  /** A signature block in a column: the date line, the title, the hint, room to sign, the name. */
  signature(x: number, width: number, lines: { dateLine?: string; title: string; hint: string; name: string }): number {
    let y = this.y;
    if (lines.dateLine) {
      this.put(nfc(lines.dateLine), x, y, width, 'italic', BODY, 'center');
      y += this.heightOf(nfc(lines.dateLine), 'italic', BODY, width);
    }
    this.put(nfc(lines.title), x, y, width, 'bold', BODY + 0.5, 'center');
    y += this.heightOf(nfc(lines.title), 'bold', BODY + 0.5, width);
    this.put(nfc(lines.hint), x, y, width, 'italic', BODY - 1, 'center');
    y += this.heightOf(nfc(lines.hint), 'italic', BODY - 1, width) + 26; // room for the hand signature and seal
    this.put(nfc(lines.name), x, y, width, 'bold', BODY + 0.5, 'center');
    y += this.heightOf(nfc(lines.name), 'bold', BODY + 0.5, width);
    return y - this.y;
  }
  signatureHeight(lines: { dateLine?: string; title: string; hint: string; name: string }, width: number): number {
    return (
      (lines.dateLine ? this.heightOf(nfc(lines.dateLine), 'italic', BODY, width) : 0) +
      this.heightOf(nfc(lines.title), 'bold', BODY + 0.5, width) +
      this.heightOf(nfc(lines.hint), 'italic', BODY - 1, width) +
      26 +
      this.heightOf(nfc(lines.name), 'bold', BODY + 0.5, width)
    );
  }

  /** Page numbers and the student's name at the foot of every page, then the finished file. */
  finish(footerLeft: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    this.doc.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<Buffer>((resolve, reject) => {
      this.doc.on('end', () => resolve(Buffer.concat(chunks)));
      this.doc.on('error', reject);
    });
    const range = this.doc.bufferedPageRange();
    for (let i = 0; i < range.count; i++) {
      this.doc.switchToPage(range.start + i);
      this.doc.page.margins.bottom = 0; // the footer sits below the text area and must not open a page
      const y = this.doc.page.height - MARGIN - 8;
      this.doc.save().moveTo(this.left, y - 3).lineTo(this.left + this.width, y - 3).lineWidth(0.4).stroke('#999999').restore();
      this.style('italic', 7, '#444444').text(nfc(footerLeft), this.left, y, { width: this.width * 0.75, lineBreak: false });
      this.style('regular', 7, '#444444').text(`Trang ${i + 1}/${range.count}`, this.left, y, { width: this.width, align: 'right', lineBreak: false });
    }
    this.doc.end();
    return done;
  }
}

// ---------------------------------------------------------------------------------------------
// The book
// ---------------------------------------------------------------------------------------------

type Book = {
  level: BookLevel;
  registerNumber: string;
  school: HocBaSchool;
  student: HocBaStudent;
  opened?: HocBaSignature;
  years: Array<{ schoolYear: string; className: string; school?: HocBaSchool }>;
};

const schoolPlace = (s: HocBaSchool): string => [s.commune, s.province].filter(Boolean).map(nfc).join(', ');

/** The cover's facts and page 1 ("lý lịch học sinh" and the course of study) on the first page. */
function firstPage(sheet: Sheet, book: Book): void {
  const { student, school } = book;
  const half = sheet.width / 2;
  sheet.put('BỘ GIÁO DỤC VÀ ĐÀO TẠO', sheet.left, sheet.y, half - 10, 'bold', 10, 'center');
  sheet.put('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', sheet.left + half, sheet.y, half, 'bold', 10, 'center');
  sheet.put('Độc lập – Tự do – Hạnh phúc', sheet.left + half, sheet.y + 13, half, 'bold', 10, 'center');
  sheet.y += 48;
  sheet.para('HỌC BẠ', { face: 'bold', size: 30, align: 'center', after: 4 });
  sheet.para(LEVEL_TITLES[book.level], { face: 'bold', size: 17, align: 'center', after: 8 });
  sheet.para(`Số đăng bộ: ${book.registerNumber}`, { size: 11, align: 'center', after: 16 });
  sheet.para('Họ và tên học sinh', { face: 'italic', size: 10, align: 'center', after: 2 });
  sheet.para(nfc(student.fullName).toLocaleUpperCase('vi'), { face: 'bold', size: 16, align: 'center', after: 10 });
  sheet.para(school.name, { face: 'bold', size: 11, align: 'center', after: 2 });
  sheet.para(schoolPlace(school), { size: 10.5, align: 'center', after: 14 });

  sheet.doc.save().moveTo(sheet.left, sheet.y).lineTo(sheet.left + sheet.width, sheet.y).lineWidth(0.6).stroke(RULE).restore();
  sheet.gap(6);
  sheet.heading('THÔNG TIN HỌC SINH');
  sheet.fields([
    ['Họ và tên', student.fullName],
    ['Giới tính', student.sex],
  ], [3, 1]);
  sheet.fields([
    ['Ngày sinh', student.dateOfBirth],
    ['Dân tộc', student.ethnicity],
  ], [3, 1]);
  if (student.learnerId) sheet.fields([['Mã định danh học sinh', student.learnerId]]);
  sheet.fields([['Nơi sinh', student.placeOfBirth]]);
  sheet.fields([['Chỗ ở hiện tại', student.address]]);
  for (const g of student.guardians) {
    const relation = nfc(g.relation).toLocaleLowerCase('vi');
    sheet.fields(g.occupation ? [[`Họ và tên ${relation}`, g.name], ['Nghề nghiệp', g.occupation]] : [[`Họ và tên ${relation}`, g.name]], g.occupation ? [3, 2] : [1]);
  }

  if (book.opened) {
    const sig = { dateLine: signatureDateLine(book.opened.place, book.opened.date), title: 'HIỆU TRƯỞNG', hint: '(Ký, ghi rõ họ tên và đóng dấu)', name: book.opened.name };
    const h = sheet.signatureHeight(sig, half);
    sheet.room(h + 6);
    sheet.gap(6);
    sheet.y += sheet.signature(sheet.left + half, half, sig);
  }

  sheet.heading('QUÁ TRÌNH HỌC TẬP');
  sheet.table({
    columns: [
      { header: 'Năm học', width: 70, align: 'center' },
      { header: 'Lớp', width: 50, align: 'center' },
      { header: 'Tên trường', width: sheet.width - 70 - 50 - 150 },
      { header: 'Xã/phường, tỉnh/thành phố', width: 150 },
    ],
    rows: book.years.map((y) => [y.schoolYear, y.className, (y.school ?? school).name, schoolPlace(y.school ?? school)]),
  });
}

/** The top of a year's page, and of the page it runs over to. */
function yearHeader(sheet: Sheet, book: Book, year: Book['years'][number], continued: boolean): void {
  sheet.para(`HỌC BẠ ${LEVEL_TITLES[book.level]}${continued ? ' (tiếp theo)' : ''}`, { face: 'bold', size: 9, align: 'center', after: 4 });
  sheet.fields([
    ['Họ và tên', book.student.fullName],
    ['Lớp', year.className],
    ['Năm học', year.schoolYear],
  ], [5, 1.3, 2]);
  const school = year.school ?? book.school;
  sheet.para(`${nfc(school.name)}, ${schoolPlace(school)}`, { size: FIELD, after: 3 });
  sheet.gap(2);
}

/** Homeroom teacher's comment, then the principal's approval with the two signatures side by side. */
function approvals(sheet: Sheet, year: { homeroomComment: string; homeroomTeacher: string; principal: HocBaSignature & { approval?: string } }): void {
  sheet.heading('NHẬN XÉT CỦA GIÁO VIÊN CHỦ NHIỆM');
  sheet.para(year.homeroomComment, { after: 4 });
  sheet.heading('PHÊ DUYỆT CỦA HIỆU TRƯỞNG');
  sheet.para(year.principal.approval ?? 'Đồng ý với nhận xét của giáo viên chủ nhiệm.', { after: 4 });
  const half = sheet.width / 2;
  const teacher = { title: 'GIÁO VIÊN CHỦ NHIỆM', hint: '(Ký và ghi rõ họ tên)', name: year.homeroomTeacher, dateLine: ' ' };
  const principal = { dateLine: signatureDateLine(year.principal.place, year.principal.date), title: 'HIỆU TRƯỞNG', hint: '(Ký, ghi rõ họ tên và đóng dấu)', name: year.principal.name };
  const h = Math.max(sheet.signatureHeight(teacher, half), sheet.signatureHeight(principal, half));
  sheet.room(h);
  sheet.signature(sheet.left, half, teacher);
  sheet.signature(sheet.left + half, half, principal);
  sheet.y += h + 4;
}

/** The results of the terms and the year, in a small table of its own. */
function resultsTable(sheet: Sheet, rows: Array<[string, HocBaTermResults]>): void {
  const from = sheet.corrections.length;
  const first = 150;
  const rest = (sheet.width - first) / 3;
  sheet.table({
    columns: [
      { header: '', width: first },
      { header: 'Học kì I', width: rest, align: 'center' },
      { header: 'Học kì II', width: rest, align: 'center' },
      { header: 'Cả năm', width: rest, align: 'center' },
    ],
    rows: rows.map(([label, r]) => [label, r.term1, r.term2, r.year]),
  });
  sheet.correctionNotes(from, 'results');
}

/**
 * The secondary học bạ (TT22/2021 annex): the first page, then one page per school year.
 * Returns the finished PDF; sign it with platform/pdf-sign.ts when it is final.
 */
/** Pages of a PDF as its page objects count them (pdfkit writes them uncompressed). */
export function countPdfPages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
}

export function renderHocBaPdf(data: HocBaData): Promise<Buffer> {
  const book: Book = data;
  const sheet = new Sheet(`Học bạ ${LEVEL_TITLES[data.level].toLocaleLowerCase('vi')} — ${nfc(data.student.fullName)}`);
  firstPage(sheet, book);

  for (const year of data.years) {
    sheet.section(() => yearHeader(sheet, book, year, true));
    yearHeader(sheet, book, year, false);

    sheet.heading('KẾT QUẢ HỌC TẬP CÁC MÔN HỌC VÀ HOẠT ĐỘNG GIÁO DỤC');
    // Mark columns wide enough for a corrected mark on one line ("7,8 8,3⁽¹⁾").
    const mark = 44;
    const fixed = 104 + 3 * mark + 50 + 84;
    sheet.table({
      columns: [
        { header: 'Môn học / Hoạt động giáo dục', width: 104 },
        { header: 'Học kì I', width: mark, align: 'center' },
        { header: 'Học kì II', width: mark, align: 'center' },
        { header: 'Cả năm', width: mark, align: 'center' },
        { header: 'Điểm hoặc mức đánh giá lại (nếu có)', width: 50, align: 'center' },
        { header: 'Nhận xét của giáo viên môn học', width: sheet.width - fixed },
        { header: 'Giáo viên môn học (ký, ghi rõ họ tên)', width: 84, align: 'center' },
      ],
      group: { label: 'Điểm trung bình môn học hoặc mức đánh giá', first: 1, count: 3 },
      rows: year.subjects.map((s) => [s.name, s.term1, s.term2, s.year, s.retest ?? '', s.comment ?? '', s.teacher ?? '']),
    });
    sheet.correctionNotes(0, 'subjects');

    sheet.heading('KẾT QUẢ HỌC TẬP VÀ RÈN LUYỆN');
    resultsTable(sheet, [
      ['Kết quả học tập', year.learning],
      ['Kết quả rèn luyện', year.training],
    ]);
    sheet.fields([['Tổng số buổi nghỉ học cả năm học', String(year.sessionsAbsent)]]);
    sheet.fields([['Lên lớp / ở lại lớp', year.promotion.decision]]);
    if (year.promotion.result) sheet.fields([['Kết quả kiểm tra lại / rèn luyện trong kì nghỉ hè', year.promotion.result]]);
    if (year.completion) sheet.fields([['Hoàn thành chương trình', year.completion]]);
    sheet.fields([['Khen thưởng', year.award ?? 'Không']]);
    approvals(sheet, year);
  }
  return sheet.finish(`Học bạ ${LEVEL_TITLES[data.level].toLocaleLowerCase('vi')} — ${nfc(data.student.fullName)} — Số đăng bộ ${nfc(data.registerNumber)}`);
}

const QUALITY_COLUMNS: Array<QualityGroup[]> = [['pham_chat', 'nang_luc_chung'], ['nang_luc_dac_thu']];

/**
 * The primary học bạ (TT27/2020): the first page, then one page per school year with the
 * subjects' levels (T / H / C) and end-of-year test scores, the qualities and competencies with
 * their levels, the year's outcome, completion and award.
 */
export function renderPrimaryHocBaPdf(data: PrimaryHocBaData): Promise<Buffer> {
  const book: Book = { ...data, level: 'th' };
  const sheet = new Sheet(`Học bạ tiểu học — ${nfc(data.student.fullName)}`);
  firstPage(sheet, book);

  for (const year of data.years) {
    sheet.section(() => yearHeader(sheet, book, year, true));
    yearHeader(sheet, book, year, false);

    sheet.heading('CÁC MÔN HỌC VÀ HOẠT ĐỘNG GIÁO DỤC');
    sheet.table({
      columns: [
        { header: 'Môn học và hoạt động giáo dục', width: 130 },
        { header: 'Mức đạt được', width: 52, align: 'center' },
        { header: 'Điểm KTĐK cuối năm', width: 52, align: 'center' },
        { header: 'Nhận xét', width: sheet.width - 234 },
      ],
      rows: year.subjects.map((s) => [
        s.name,
        s.level === 'exempt' ? 'Miễn' : s.level === null ? '' : mapCorrectable(s.level, (l) => SUBJECT_LEVEL_SHORT[l]),
        s.testScore ?? '',
        s.comment ?? '',
      ]),
    });
    sheet.para('Mức đạt được: T — Hoàn thành tốt; H — Hoàn thành; C — Chưa hoàn thành.', { face: 'italic', size: BODY - 1, after: 2 });
    sheet.correctionNotes(0, 'subjects');

    sheet.heading('NHỮNG PHẨM CHẤT CHỦ YẾU VÀ NĂNG LỰC CỐT LÕI');
    const before = sheet.corrections.length;
    const colWidth = (sheet.width - 10) / 2;
    const tableFor = (group: QualityGroup): Table => ({
      columns: [
        { header: QUALITY_GROUP_LABELS[group], width: colWidth - 80 },
        { header: 'Mức đạt được', width: 80, align: 'center' },
      ],
      rows: QUALITIES_AND_COMPETENCIES.filter((q) => q.group === group).map((q) => {
        const level = year.qualities[q.code];
        return [q.name, level === undefined ? '' : mapCorrectable(level, (l) => QUALITY_LEVEL_LABELS[l])];
      }),
    });
    // Two columns side by side, drawn from the same top and kept on one page together.
    const columns = QUALITY_COLUMNS.map((groups) => groups.map(tableFor));
    sheet.room(Math.max(...columns.map((tables) => tables.reduce((h, t) => h + sheet.tableHeight(t), 0))));
    const top = sheet.y;
    let lowest = top;
    for (const [c, tables] of columns.entries()) {
      sheet.y = top;
      for (const t of tables) sheet.table(t, sheet.left + c * (colWidth + 10));
      lowest = Math.max(lowest, sheet.y);
    }
    sheet.y = lowest;
    sheet.correctionNotes(before, 'results');
    for (const g of ['pham_chat', 'nang_luc_chung', 'nang_luc_dac_thu'] as const) {
      const comment = year.qualityComments?.[g];
      if (comment) sheet.fields([[`Nhận xét ${QUALITY_GROUP_LABELS[g].toLocaleLowerCase('vi')}`, comment]]);
    }

    sheet.heading('ĐÁNH GIÁ KẾT QUẢ GIÁO DỤC');
    const outcomeFrom = sheet.corrections.length;
    const outcome = year.outcome === null ? '' : mapCorrectable(year.outcome, (o) => YEAR_OUTCOME_LABELS[o]);
    sheet.table({
      columns: [
        { header: '', width: 150 },
        { header: 'Cả năm', width: sheet.width - 150, align: 'center' },
      ],
      rows: [['Kết quả giáo dục', outcome]],
    });
    sheet.correctionNotes(outcomeFrom, 'results');
    if (year.sessionsAbsent !== undefined) sheet.fields([['Tổng số buổi nghỉ học cả năm học', String(year.sessionsAbsent)]]);
    sheet.fields([['Hoàn thành chương trình', year.completion]]);
    sheet.fields([['Khen thưởng', year.award ?? 'Không']]);
    approvals(sheet, year);
  }
  return sheet.finish(`Học bạ tiểu học — ${nfc(data.student.fullName)} — Số đăng bộ ${nfc(data.registerNumber)}`);
}
