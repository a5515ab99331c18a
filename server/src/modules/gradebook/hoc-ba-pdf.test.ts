import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { pdfPageTexts } from '../../../test/pdf-text.js';
import { isCorrection, renderHocBaPdf, renderPrimaryHocBaPdf, signatureDateLine, type HocBaData, type HocBaSubject } from './hoc-ba-pdf.js';
import { LONG_STUDENT_NAME, LONG_TEACHER_NAME, SAMPLE_HOC_BA, SAMPLE_PRIMARY_HOC_BA } from './hoc-ba-pdf.test-helpers.js';

/** The page text with every run of white space (line breaks inside a wrapped cell included) as one space. */
const flat = (s: string) => s.replace(/\s+/g, ' ');

/** Each part appears, whole, after the one before it. */
function expectInOrder(text: string, parts: ReadonlyArray<string | number>): void {
  const t = flat(text);
  let at = 0;
  for (const part of parts) {
    const p = flat(String(part));
    const found = t.indexOf(p, at);
    expect(found, `"${p}" after position ${at} in:\n${t}`).toBeGreaterThanOrEqual(0);
    at = found + p.length;
  }
}

/** A subject's row as read: its name, each mark (a correction: old value, then new), comment, teacher. */
const rowParts = (s: HocBaSubject): string[] => [
  s.name,
  ...[s.term1, s.term2, s.year, s.retest ?? ''].flatMap((m) => (isCorrection(m) ? [m.was, m.now] : m ? [m] : [])),
  s.comment ?? '',
  s.teacher ?? '',
];

type Geometry = { items: Array<{ str: string; x: number; y: number; width: number; height: number }>; redLines: Array<{ x1: number; x2: number; y: number }>; width: number; height: number };

/**
 * Where text and red strokes are on each page, in PDF points (y up): what pdf.js draws, read
 * without rendering. The red lines are the strike-throughs of corrected values.
 */
async function geometry(pdf: Buffer): Promise<Geometry[]> {
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: Geometry[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const [, , width, height] = page.view;
    const content = await page.getTextContent();
    const items = content.items.flatMap((it) => ('str' in it && it.str.trim() !== '' ? [{ str: it.str, x: it.transform[4], y: it.transform[5], width: it.width, height: it.height }] : []));
    const ops = await page.getOperatorList();
    const redLines: Geometry['redLines'] = [];
    // pdfkit builds the path, then sets the colour, then strokes: a red stroke of a two-point path is a line.
    let red = false;
    const saved: boolean[] = [];
    let path: [number[], number[]] | null = null;
    for (let k = 0; k < ops.fnArray.length; k++) {
      const [fn, args] = [ops.fnArray[k], ops.argsArray[k] as unknown];
      if (fn === OPS.save) saved.push(red);
      else if (fn === OPS.restore) red = saved.pop() ?? false;
      else if (fn === OPS.setStrokeRGBColor) {
        const c = Object.values(args as Record<string, number>);
        red = c[0] > 150 && c[1] < 40 && c[2] < 40;
      } else if (fn === OPS.constructPath) path = args as [number[], number[]];
      else if (fn === OPS.stroke && red && path && path[0].length === 2 && path[0][0] === OPS.moveTo && path[0][1] === OPS.lineTo) {
        // pdfkit draws with y down from the top of the page (its first transform flips the page).
        redLines.push({ x1: path[1][0], x2: path[1][2], y: height - path[1][1] });
      }
    }
    pages.push({ items, redLines, width, height });
  }
  await doc.destroy();
  return pages;
}

describe('học bạ THCS/THPT (TT22/2021)', () => {
  it('prints the cover facts, then one page per school year, each subject with its marks in order', async () => {
    const pdf = await renderHocBaPdf(SAMPLE_HOC_BA);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const pages = await pdfPageTexts(pdf);
    expect(pages).toHaveLength(1 + SAMPLE_HOC_BA.years.length);
    for (const [i, page] of pages.entries()) expect(page).toContain(`Trang ${i + 1}/${pages.length}`);

    const { student, school } = SAMPLE_HOC_BA;
    expectInOrder(pages[0], [
      'BỘ GIÁO DỤC VÀ ĐÀO TẠO',
      'HỌC BẠ',
      'TRUNG HỌC CƠ SỞ',
      'Số đăng bộ: 125/THCS',
      LONG_STUDENT_NAME.toLocaleUpperCase('vi'),
      school.name,
      'Thành phố Huế',
      'Họ và tên:',
      LONG_STUDENT_NAME,
      'Giới tính:',
      'Nữ',
      'Ngày sinh:',
      '05/09/2011',
      'Dân tộc:',
      'Kinh',
      'Mã định danh học sinh:',
      '4601234567',
      'Nơi sinh:',
      student.placeOfBirth,
      'Chỗ ở hiện tại:',
      student.address,
      'Họ và tên cha:',
      'Tôn Thất Hoàng Long',
      'Kĩ sư xây dựng',
      'Họ và tên mẹ:',
      'Nguyễn Thị Phương Thảo',
      'Huế, ngày 05 tháng 9 năm 2022',
      'HIỆU TRƯỞNG',
      'Hoàng Văn Thái',
      'QUÁ TRÌNH HỌC TẬP',
      '2023-2024',
      '7A2',
      '2024-2025',
      '8A2',
    ]);

    for (const [i, year] of SAMPLE_HOC_BA.years.entries()) {
      const page = pages[i + 1];
      expectInOrder(page, [
        'HỌC BẠ TRUNG HỌC CƠ SỞ',
        LONG_STUDENT_NAME,
        year.className,
        year.schoolYear,
        'KẾT QUẢ HỌC TẬP CÁC MÔN HỌC VÀ HOẠT ĐỘNG GIÁO DỤC',
        ...year.subjects.flatMap(rowParts),
        'KẾT QUẢ HỌC TẬP VÀ RÈN LUYỆN',
        'Kết quả học tập',
        ...[year.learning.term1, year.learning.term2, year.learning.year].map(String),
        'Kết quả rèn luyện',
        ...[year.training.term1, year.training.term2, year.training.year].map(String),
        `Tổng số buổi nghỉ học cả năm học: ${year.sessionsAbsent}`,
        `Lên lớp / ở lại lớp: ${year.promotion.decision}`,
        `Khen thưởng: ${year.award}`,
        'NHẬN XÉT CỦA GIÁO VIÊN CHỦ NHIỆM',
        year.homeroomComment,
        'PHÊ DUYỆT CỦA HIỆU TRƯỞNG',
        'Đồng ý với nhận xét của giáo viên chủ nhiệm.',
        'GIÁO VIÊN CHỦ NHIỆM',
        year.homeroomTeacher,
        signatureDateLine(year.principal.place, year.principal.date),
        'HIỆU TRƯỞNG',
        year.principal.name,
      ]);
      // A year's page is that year's only: nothing of the other year leaks onto it.
      expect(page).not.toContain(SAMPLE_HOC_BA.years[1 - i].schoolYear);
    }
    // The marks as the rules write them, the exemption, and the two awards.
    expectInOrder(pages[1], ['Ngữ văn', '8,4', '8,6', '8,5']);
    expectInOrder(pages[2], ['Giáo dục thể chất', 'Miễn', 'Miễn', 'Miễn', 'Miễn học cả năm theo chỉ định của bác sĩ.']);
    expect(pages[1]).toContain('Học sinh Giỏi');
    expect(pages[2]).toContain('Học sinh Xuất sắc');
    expect(flat(pages[2])).toContain(LONG_TEACHER_NAME);
  });

  it('shows a correction as on paper: the old value struck through in red, the new one beside it, and a note', async () => {
    const pdf = await renderHocBaPdf(SAMPLE_HOC_BA);
    const pages = await pdfPageTexts(pdf);
    expectInOrder(pages[2], [
      'Toán',
      '8,1',
      '7,8',
      '8,3',
      '(1)',
      '7,9',
      '8,2',
      '(2)',
      'Trong bảng này có sửa chữa ở 2 chỗ, thuộc các môn học: Toán.',
      '(1) Toán, Học kì II: 7,8 sửa thành 8,3. Chấm phúc khảo bài kiểm tra cuối kì II; GV Phạm Văn Đức sửa ngày 28/05/2025.',
      '(2) Toán, Cả năm: 7,9 sửa thành 8,2. Tính lại theo điểm học kì II đã sửa.',
    ]);
    expect(pages[1]).not.toContain('sửa chữa'); // the first year has none

    const [, year1, year2] = await geometry(pdf);
    expect(year1.redLines).toHaveLength(0);
    for (const [was, now] of [
      ['7,8', '8,3'],
      ['7,9', '8,2'],
    ]) {
      const old = year2.items.find((it) => it.str === was);
      const fresh = year2.items.find((it) => it.str === now);
      if (!old || !fresh) throw new Error(`${was} / ${now} not found`);
      // One red line runs through the old value, between its baseline and its top.
      const strikes = year2.redLines.filter((l) => l.x1 <= old.x + 0.5 && l.x2 >= old.x + old.width - 0.5 && l.y > old.y && l.y < old.y + old.height);
      expect(strikes, was).toHaveLength(1);
      // The new value sits to the right of the old one and a little above it ("above right").
      expect(fresh.x).toBeGreaterThan(old.x + old.width);
      expect(fresh.y).toBeGreaterThan(old.y);
      expect(fresh.y - old.y).toBeLessThan(old.height);
    }
  });

  it('cuts nothing: every piece of text lies inside the page margins and above the footer', async () => {
    for (const page of await geometry(await renderHocBaPdf(SAMPLE_HOC_BA))) {
      for (const it of page.items) {
        expect(it.x, it.str).toBeGreaterThanOrEqual(35.5);
        expect(it.x + it.width, it.str).toBeLessThanOrEqual(page.width - 35.5);
        expect(it.y + 0.75 * it.height, it.str).toBeLessThanOrEqual(page.height - 35.5); // the baseline plus the letters' height
        const footer = /^Trang \d+\/\d+$/.test(it.str) || it.str.startsWith('Học bạ trung học cơ sở — ');
        expect(it.y, it.str).toBeGreaterThanOrEqual(footer ? 30 : 36 + 18);
      }
    }
  });

  it('runs a year that does not fit over to a next page, header repeated, no row lost', async () => {
    const many: HocBaSubject[] = Array.from({ length: 26 }, (_, i) => ({
      name: `Chuyên đề học tập số ${i + 1}`,
      term1: '7,5',
      term2: '8,0',
      year: '7,8',
      comment: `Nhận xét dài số ${i + 1}: ${'có tiến bộ rõ rệt trong học kì, cần phát huy. '.repeat(3)}`,
      teacher: 'Nguyễn Văn Bình',
    }));
    const data: HocBaData = { ...SAMPLE_HOC_BA, level: 'thpt', registerNumber: '88/THPT', years: [{ ...SAMPLE_HOC_BA.years[0], className: '10A1', subjects: many }] };
    const pages = await pdfPageTexts(await renderHocBaPdf(data));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages[0]).toContain('TRUNG HỌC PHỔ THÔNG');
    expect(pages[1]).not.toContain('(tiếp theo)');
    for (const page of pages.slice(2)) {
      expect(page).toContain('HỌC BẠ TRUNG HỌC PHỔ THÔNG (tiếp theo)');
      expect(page).toContain(LONG_STUDENT_NAME);
    }
    expect(pages[2]).toContain('Học kì I'); // the table header again
    const year = flat(pages.slice(1).join(' '));
    expectInOrder(year, many.flatMap(rowParts));
    expectInOrder(year, ['NHẬN XÉT CỦA GIÁO VIÊN CHỦ NHIỆM', 'PHÊ DUYỆT CỦA HIỆU TRƯỞNG', 'Hoàng Văn Thái']);
  });

  it('prints the decision after a re-test, and markup exactly as written', async () => {
    const year = {
      ...SAMPLE_HOC_BA.years[0],
      promotion: { decision: 'Kiểm tra lại', result: 'Toán: 6,0 — Được lên lớp sau kiểm tra lại' },
      award: undefined,
      homeroomComment: '<img src=x onerror=alert(1)> "><script>alert(1)</script>',
    };
    const pages = await pdfPageTexts(await renderHocBaPdf({ ...SAMPLE_HOC_BA, years: [year] }));
    expectInOrder(pages[1], [
      'Lên lớp / ở lại lớp: Kiểm tra lại',
      'Kết quả kiểm tra lại / rèn luyện trong kì nghỉ hè: Toán: 6,0 — Được lên lớp sau kiểm tra lại',
      'Khen thưởng: Không',
      '<img src=x onerror=alert(1)> "><script>alert(1)</script>',
    ]);
  });

  it('renders a class of 45 in reasonable time (pages per second printed)', async () => {
    const started = performance.now();
    let pages = 0;
    for (let i = 0; i < 45; i++) {
      const pdf = await renderHocBaPdf({ ...SAMPLE_HOC_BA, student: { ...SAMPLE_HOC_BA.student, fullName: `Nguyễn Văn Học Sinh ${i + 1}` } });
      pages += Number(/\/Count (\d+)/.exec(pdf.toString('latin1'))?.[1] ?? 0);
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`học bạ: 45 books, ${pages} pages in ${seconds.toFixed(2)} s — ${(pages / seconds).toFixed(1)} pages/s`);
    expect(pages).toBe(45 * 3);
    expect(seconds).toBeLessThan(120); // generous: the machine is shared; the figure above is what matters
  });
});

describe('học bạ tiểu học (TT27/2020)', () => {
  it('prints subjects with T/H/C and test scores, qualities with their levels, the outcome and the completion', async () => {
    const pdf = await renderPrimaryHocBaPdf(SAMPLE_PRIMARY_HOC_BA);
    const pages = await pdfPageTexts(pdf);
    expect(pages).toHaveLength(2);
    expectInOrder(pages[0], ['BỘ GIÁO DỤC VÀ ĐÀO TẠO', 'HỌC BẠ', 'TIỂU HỌC', 'Số đăng bộ: 58/TH', 'HỒ NGỌC BẢO TRÂM', 'Họ và tên người giám hộ:', 'Hồ Văn Tường']);
    expectInOrder(pages[1], [
      'HỌC BẠ TIỂU HỌC',
      'Hồ Ngọc Bảo Trâm',
      '4B',
      '2024-2025',
      'Tiếng Việt',
      'T',
      '9',
      'Đọc diễn cảm',
      'Toán',
      'T',
      '8',
      '9',
      '(1)',
      'Ngoại ngữ 1',
      'H',
      '7',
      'Giáo dục thể chất',
      'Miễn',
      'Hoạt động trải nghiệm',
      'Mức đạt được: T — Hoàn thành tốt; H — Hoàn thành; C — Chưa hoàn thành.',
      '(1) Toán, Điểm KTĐK cuối năm: 8 sửa thành 9. Cộng sót điểm câu 5; GV Lê Thị Hoa sửa ngày 27/05/2025.',
      'Phẩm chất chủ yếu',
      'Yêu nước',
      'Tốt',
      'Trách nhiệm',
      'Đạt',
      'Năng lực chung',
      'Giao tiếp và hợp tác',
      'Đạt',
      'Năng lực đặc thù',
      'Thể chất',
      'Cần cố gắng',
      'Nhận xét phẩm chất chủ yếu: Yêu thương, quan tâm bạn bè',
      'ĐÁNH GIÁ KẾT QUẢ GIÁO DỤC',
      'Hoàn thành',
      'Hoàn thành chương trình: Hoàn thành chương trình lớp học',
      'Khen thưởng: Không',
      'Lê Thị Hoa',
      'Huế, ngày 29 tháng 5 năm 2025',
      'Phan Thị Kim Oanh',
    ]);
  });
});

describe('signature date line', () => {
  it('writes "ngày … tháng … năm …" with a leading zero for days below 10 and for months 1 and 2 (NĐ 30/2020)', () => {
    expect(signatureDateLine('Huế', '05/01/2025')).toBe('Huế, ngày 05 tháng 01 năm 2025');
    expect(signatureDateLine('Huế', '1/2/2025')).toBe('Huế, ngày 01 tháng 02 năm 2025');
    expect(signatureDateLine('Hà Nội', '24/05/2024')).toBe('Hà Nội, ngày 24 tháng 5 năm 2024');
    expect(signatureDateLine('Hà Nội', '31/12/2025')).toBe('Hà Nội, ngày 31 tháng 12 năm 2025');
    expect(signatureDateLine('Hà Nội', 'cuối tháng 5')).toBe('Hà Nội, cuối tháng 5'); // printed as given, never guessed
  });
});
