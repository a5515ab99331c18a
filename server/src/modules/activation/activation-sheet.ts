import PDFDocument from 'pdfkit';
import { dejaVu } from '../../platform/pdf-fonts.js';

/** One student's slip on the class's sheet: the codes in plain text exist only here, never stored. */
export type Slip = {
  childName: string;
  className: string;
  guardians: { name: string; relationLabel: string; code: string }[];
  /** Guardians who already have an account: no code, the slip says so. */
  linked: { name: string; relationLabel: string }[];
  /** Grade 6 and up: the student's own code. */
  studentCode: string | null;
};

export type SheetHeader = { schoolName: string; className: string; address: string; expiresOn: string; printedOn: string };

const MARGIN = 36;
const REGULAR = 'regular';
const BOLD = 'bold';
const MONO = 'mono';

/**
 * The class's sheet of activation codes (A4): one slip per student, cut along the dashed lines and
 * handed to the family. Each slip says in Vietnamese where to go and what to do, the child's name
 * and class, each guardian's code and the student's own (grade 6 and up), and when they expire.
 * A slip never runs over a page break. Text is drawn as text: names print exactly as written.
 */
export function activationSheetPdf(header: SheetHeader, slips: Slip[]): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, bufferPages: true, info: { Title: `Phiếu kích hoạt sổ liên lạc điện tử — lớp ${header.className}`, Creator: 'Trường Số' } });
  doc.registerFont(REGULAR, dejaVu('DejaVuSans.ttf'));
  doc.registerFont(BOLD, dejaVu('DejaVuSans-Bold.ttf'));
  doc.registerFont(MONO, dejaVu('DejaVuSansMono-Bold.ttf'));
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const width = doc.page.width - 2 * MARGIN;
  const bottom = doc.page.height - MARGIN - 14;
  const nfc = (s: string) => s.normalize('NFC');

  const steps = [
    `1. Trên điện thoại hoặc máy tính, mở trang ${header.address}`,
    '2. Nhập mã kích hoạt in dưới đây (không phân biệt chữ hoa, chữ thường).',
    '3. Đọc mục đích sử dụng dữ liệu và đánh dấu đồng ý.',
    '4. Chọn tên đăng nhập và mật khẩu. Nếu đã có tài khoản phụ huynh (con khác đã kích hoạt), hãy đăng nhập trước rồi chọn "Thêm con".',
  ];
  const note = `Mỗi mã chỉ dùng được một lần, hết hạn ngày ${header.expiresOn}. Giữ kín mã; nếu mất phiếu, liên hệ giáo viên chủ nhiệm để in phiếu mới (phiếu cũ sẽ không dùng được nữa).`;

  const draw = (slip: Slip, y: number, measureOnly: boolean): number => {
    let h = 0;
    const line = (text: string, font: string, size: number, opts: { indent?: number; gap?: number } = {}) => {
      doc.font(font).fontSize(size);
      const w = width - 16 - (opts.indent ?? 0);
      const t = nfc(text);
      const height = doc.heightOfString(t, { width: w });
      if (!measureOnly) doc.text(t, MARGIN + 8 + (opts.indent ?? 0), y + h, { width: w });
      h += height + (opts.gap ?? 2);
    };
    h += 8;
    line('PHIẾU KÍCH HOẠT SỔ LIÊN LẠC ĐIỆN TỬ', BOLD, 11);
    line(header.schoolName, REGULAR, 8.5, { gap: 4 });
    line(`Học sinh: ${slip.childName}    Lớp: ${slip.className}`, BOLD, 10.5, { gap: 4 });
    for (const s of steps) line(s, REGULAR, 8.5, { indent: 4 });
    h += 3;
    for (const g of slip.linked) line(`${g.relationLabel} ${g.name} đã kích hoạt tài khoản: không cần mã.`, REGULAR, 9);
    if (slip.guardians.length === 0 && slip.linked.length === 0) {
      line('Hồ sơ học sinh chưa có thông tin cha mẹ / người giám hộ: liên hệ giáo viên chủ nhiệm để bổ sung, rồi xin in lại phiếu.', REGULAR, 9);
    }
    for (const g of slip.guardians) {
      line(`Dành cho ${g.relationLabel.toLowerCase()}: ${g.name}`, REGULAR, 9);
      line(`Mã kích hoạt: ${g.code}`, MONO, 14, { indent: 12, gap: 4 });
    }
    if (slip.studentCode) {
      line('Dành cho học sinh (tài khoản riêng của em, chỉ để xem):', REGULAR, 9);
      line(`Mã kích hoạt: ${slip.studentCode}`, MONO, 14, { indent: 12, gap: 4 });
    }
    line(note, REGULAR, 8, { gap: 6 });
    if (!measureOnly) {
      doc.save().dash(4, { space: 3 }).strokeColor('#888').rect(MARGIN, y, width, h).stroke().restore();
    }
    return h;
  };

  let y = MARGIN;
  doc.font(BOLD).fontSize(12).text(nfc(`Phiếu kích hoạt sổ liên lạc điện tử — lớp ${header.className}`), MARGIN, y, { width, align: 'center' });
  doc.font(REGULAR).fontSize(9).text(nfc(`${header.schoolName}. In ngày ${header.printedOn}; mã hết hạn ngày ${header.expiresOn}. Cắt theo đường gạch, phát cho từng gia đình.`), MARGIN, doc.y + 2, { width, align: 'center' });
  y = doc.y + 10;
  if (slips.length === 0) doc.font(REGULAR).fontSize(10).text('Lớp không có học sinh nào.', MARGIN, y, { width });
  for (const slip of slips) {
    const h = draw(slip, y, true);
    if (y + h > bottom && y > MARGIN) {
      doc.addPage();
      y = MARGIN;
    }
    draw(slip, y, false);
    y += h + 10;
  }
  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    doc.page.margins.bottom = 0;
    doc.font(REGULAR).fontSize(8).text(`Trang ${i + 1}/${range.count}`, MARGIN, doc.page.height - MARGIN - 8, { width, align: 'right', lineBreak: false });
  }
  doc.end();
  return done;
}
