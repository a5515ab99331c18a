import { formatTenths, roundHalfUpRatio } from '../../../../domain/index.js';
import type { HocBaData, HocBaSubject, HocBaYear, PrimaryHocBaData } from './hoc-ba-pdf.js';

/** ĐTBmcn = (ĐTBmhkI + 2·ĐTBmhkII) / 3, so the sample's year averages are the ones the rules give. */
const scored = (name: string, t1: number, t2: number, comment: string, teacher: string): HocBaSubject => ({
  name,
  term1: formatTenths(t1),
  term2: formatTenths(t2),
  year: formatTenths(roundHalfUpRatio(t1 + 2 * t2, 3)),
  comment,
  teacher,
});
const byComment = (name: string, result: 'Đ' | 'CĐ', comment: string, teacher: string): HocBaSubject => ({ name, term1: result, term2: result, year: result, comment, teacher });

export const LONG_STUDENT_NAME = 'Tôn Nữ Hoàng Phương Thị Ngọc Khánh Linh';
export const LONG_TEACHER_NAME = 'Nguyễn Huỳnh Thị Phương Thảo Uyên';

const year1: HocBaYear = {
  schoolYear: '2023-2024',
  className: '7A2',
  subjects: [
    scored('Ngữ văn', 84, 86, 'Đọc hiểu tốt, bài viết mạch lạc; cần chú ý chính tả khi viết nhanh.', 'Lê Thị Thu Hà'),
    scored('Toán', 88, 91, 'Tư duy logic tốt, trình bày lời giải rõ ràng.', 'Phạm Văn Đức'),
    scored('Ngoại ngữ 1', 79, 83, 'Nghe và nói tiến bộ rõ; cần đọc thêm để mở rộng vốn từ.', 'Trần Ngọc Ánh'),
    scored('Giáo dục công dân', 90, 92, 'Hiểu bài, liên hệ thực tế tốt.', 'Võ Thị Mỹ Duyên'),
    scored('Lịch sử và Địa lí', 82, 85, 'Nắm chắc kiến thức, kĩ năng đọc bản đồ tốt.', 'Đặng Quốc Bảo'),
    scored('Khoa học tự nhiên', 85, 88, 'Thực hành thí nghiệm cẩn thận, ghi chép đầy đủ.', LONG_TEACHER_NAME),
    scored('Công nghệ', 87, 90, 'Hoàn thành tốt các sản phẩm thực hành.', 'Huỳnh Tấn Phát'),
    scored('Tin học', 92, 94, 'Sử dụng thành thạo phần mềm, có sáng tạo.', 'Lý Minh Khoa'),
    byComment('Giáo dục thể chất', 'Đ', 'Tích cực tập luyện.', 'Trịnh Công Sơn'),
    byComment('Nghệ thuật (Âm nhạc)', 'Đ', 'Hát đúng giai điệu, tự tin biểu diễn.', 'Mai Thanh Tâm'),
    byComment('Nghệ thuật (Mĩ thuật)', 'Đ', 'Bài vẽ có bố cục tốt.', 'Đoàn Thị Hồng'),
    byComment('Hoạt động trải nghiệm, hướng nghiệp', 'Đ', 'Tham gia đầy đủ, có trách nhiệm trong nhóm.', 'Nguyễn Thị Lan'),
    byComment('Nội dung giáo dục của địa phương', 'Đ', 'Hiểu về văn hoá địa phương.', 'Nguyễn Thị Lan'),
  ],
  learning: { term1: 'Tốt', term2: 'Tốt', year: 'Tốt' },
  training: { term1: 'Tốt', term2: 'Tốt', year: 'Tốt' },
  sessionsAbsent: 2,
  promotion: { decision: 'Được lên lớp' },
  award: 'Học sinh Giỏi',
  homeroomComment: 'Chăm ngoan, lễ phép, có ý thức tự học; tích cực tham gia các hoạt động của lớp và của trường. Cần mạnh dạn hơn khi phát biểu trước đông người.',
  homeroomTeacher: 'Nguyễn Thị Lan',
  principal: { place: 'Huế', date: '24/05/2024', name: 'Hoàng Văn Thái' },
};

const year2: HocBaYear = {
  schoolYear: '2024-2025',
  className: '8A2',
  subjects: [
    scored('Ngữ văn', 88, 91, 'Bài viết giàu cảm xúc, lập luận chặt chẽ.', 'Lê Thị Thu Hà'),
    {
      // Entered as 7,8 at the end of term II, corrected to 8,3 after the paper was re-marked: the
      // year average moves with it (7,9 → 8,2).
      name: 'Toán',
      term1: '8,1',
      term2: { was: '7,8', now: '8,3', note: 'Chấm phúc khảo bài kiểm tra cuối kì II; GV Phạm Văn Đức sửa ngày 28/05/2025.' },
      year: { was: '7,9', now: '8,2', note: 'Tính lại theo điểm học kì II đã sửa.' },
      comment: 'Tiến bộ trong giải toán có lời văn; cần rèn tính cẩn thận khi tính toán.',
      teacher: 'Phạm Văn Đức',
    },
    scored('Ngoại ngữ 1', 90, 92, 'Giao tiếp tự tin, phát âm chuẩn.', 'Trần Ngọc Ánh'),
    scored('Giáo dục công dân', 93, 95, 'Tích cực thảo luận, nêu được nhiều ví dụ thực tế.', 'Võ Thị Mỹ Duyên'),
    scored('Lịch sử và Địa lí', 90, 91, 'Ghi nhớ sự kiện tốt, biết phân tích lược đồ.', 'Đặng Quốc Bảo'),
    scored('Khoa học tự nhiên', 91, 93, 'Giải thích hiện tượng chính xác, làm thí nghiệm an toàn.', LONG_TEACHER_NAME),
    scored('Công nghệ', 92, 90, 'Sản phẩm thực hành đạt yêu cầu kĩ thuật.', 'Huỳnh Tấn Phát'),
    scored('Tin học', 95, 96, 'Lập trình được các bài toán đơn giản.', 'Lý Minh Khoa'),
    // Exempt from physical education for the year on a doctor's certificate (TT22 Điều 11).
    { name: 'Giáo dục thể chất', term1: 'Miễn', term2: 'Miễn', year: 'Miễn', comment: 'Miễn học cả năm theo chỉ định của bác sĩ.', teacher: 'Trịnh Công Sơn' },
    byComment('Nghệ thuật (Âm nhạc)', 'Đ', 'Thể hiện bài hát có cảm xúc.', 'Mai Thanh Tâm'),
    byComment('Nghệ thuật (Mĩ thuật)', 'Đ', 'Sáng tạo trong phối màu.', 'Đoàn Thị Hồng'),
    byComment('Hoạt động trải nghiệm, hướng nghiệp', 'Đ', 'Chủ động tổ chức hoạt động nhóm.', 'Nguyễn Thị Lan'),
    byComment('Nội dung giáo dục của địa phương', 'Đ', 'Tìm hiểu tốt về làng nghề truyền thống.', 'Nguyễn Thị Lan'),
  ],
  learning: { term1: 'Tốt', term2: 'Tốt', year: 'Tốt' },
  training: { term1: 'Tốt', term2: 'Tốt', year: 'Tốt' },
  sessionsAbsent: 0,
  promotion: { decision: 'Được lên lớp' },
  award: 'Học sinh Xuất sắc',
  homeroomComment: 'Gương mẫu, trung thực, có tinh thần giúp đỡ bạn bè; học tập chăm chỉ và tiến bộ đều ở các môn.',
  homeroomTeacher: LONG_TEACHER_NAME,
  principal: { place: 'Huế', date: '30/05/2025', name: 'Hoàng Văn Thái' },
};

/** A THCS student over two years: a corrected mark in year two, an exemption from GDTC, long names. */
export const SAMPLE_HOC_BA: HocBaData = {
  level: 'thcs',
  registerNumber: '125/THCS',
  school: { name: 'Trường THCS Nguyễn Tri Phương', commune: 'Phường Thuận Hoá', province: 'Thành phố Huế' },
  student: {
    fullName: LONG_STUDENT_NAME,
    dateOfBirth: '05/09/2011',
    sex: 'Nữ',
    ethnicity: 'Kinh',
    placeOfBirth: 'Bệnh viện Trung ương Huế, Thành phố Huế',
    address: '12 kiệt 45 đường Nguyễn Trường Tộ, Phường Thuận Hoá, Thành phố Huế',
    learnerId: '4601234567',
    guardians: [
      { relation: 'Cha', name: 'Tôn Thất Hoàng Long', occupation: 'Kĩ sư xây dựng' },
      { relation: 'Mẹ', name: 'Nguyễn Thị Phương Thảo', occupation: 'Giáo viên' },
    ],
  },
  opened: { place: 'Huế', date: '05/09/2022', name: 'Hoàng Văn Thái' },
  years: [year1, year2],
};

/** A grade-4 pupil: subjects with levels and test scores, qualities, a corrected test score. */
export const SAMPLE_PRIMARY_HOC_BA: PrimaryHocBaData = {
  registerNumber: '58/TH',
  school: { name: 'Trường Tiểu học Lê Lợi', commune: 'Phường Phú Xuân', province: 'Thành phố Huế' },
  student: {
    fullName: 'Hồ Ngọc Bảo Trâm',
    dateOfBirth: '14/02/2015',
    sex: 'Nữ',
    ethnicity: 'Kinh',
    placeOfBirth: 'Thành phố Huế',
    address: '7 Lê Lợi, Phường Phú Xuân, Thành phố Huế',
    guardians: [{ relation: 'Người giám hộ', name: 'Hồ Văn Tường', occupation: 'Buôn bán' }],
  },
  years: [
    {
      schoolYear: '2024-2025',
      className: '4B',
      subjects: [
        { name: 'Tiếng Việt', level: 'hoan_thanh_tot', testScore: '9', comment: 'Đọc diễn cảm, viết đoạn văn mạch lạc.' },
        { name: 'Toán', level: 'hoan_thanh_tot', testScore: { was: '8', now: '9', note: 'Cộng sót điểm câu 5; GV Lê Thị Hoa sửa ngày 27/05/2025.' }, comment: 'Tính toán nhanh, chính xác.' },
        { name: 'Ngoại ngữ 1', level: 'hoan_thanh', testScore: '7', comment: 'Cần luyện thêm kĩ năng nghe.' },
        { name: 'Đạo đức', level: 'hoan_thanh_tot', comment: 'Lễ phép, biết giúp đỡ bạn.' },
        { name: 'Lịch sử và Địa lí', level: 'hoan_thanh', testScore: '8', comment: 'Hiểu bài.' },
        { name: 'Khoa học', level: 'hoan_thanh_tot', testScore: '9', comment: 'Ham tìm hiểu.' },
        { name: 'Tin học và Công nghệ', level: 'hoan_thanh_tot', testScore: '10', comment: 'Thao tác máy tính thành thạo.' },
        { name: 'Giáo dục thể chất', level: 'exempt', comment: 'Miễn học theo chỉ định của bác sĩ.' },
        { name: 'Âm nhạc', level: 'hoan_thanh', comment: 'Hát đúng giai điệu.' },
        { name: 'Mĩ thuật', level: 'hoan_thanh_tot', comment: 'Vẽ đẹp, sáng tạo.' },
        { name: 'Hoạt động trải nghiệm', level: 'hoan_thanh_tot', comment: 'Tích cực tham gia.' },
      ],
      qualities: {
        pc_yeu_nuoc: 'tot',
        pc_nhan_ai: 'tot',
        pc_cham_chi: 'tot',
        pc_trung_thuc: 'tot',
        pc_trach_nhiem: 'dat',
        nlc_tu_chu_tu_hoc: 'tot',
        nlc_giao_tiep_hop_tac: 'dat',
        nlc_gqvd_sang_tao: 'tot',
        nldt_ngon_ngu: 'tot',
        nldt_tinh_toan: 'tot',
        nldt_khoa_hoc: 'tot',
        nldt_cong_nghe: 'dat',
        nldt_tin_hoc: 'tot',
        nldt_tham_mi: 'tot',
        nldt_the_chat: 'can_co_gang',
      },
      qualityComments: { pham_chat: 'Yêu thương, quan tâm bạn bè; cần chủ động hơn trong việc chung.' },
      outcome: 'hoan_thanh',
      completion: 'Hoàn thành chương trình lớp học',
      sessionsAbsent: 1,
      homeroomComment: 'Ngoan, chăm học, tiến bộ rõ về kĩ năng viết.',
      homeroomTeacher: 'Lê Thị Hoa',
      principal: { place: 'Huế', date: '29/05/2025', name: 'Phan Thị Kim Oanh' },
    },
  ],
};
