import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ok } from './outcome.js';
import {
  CHECKPOINTS,
  CHECKPOINT_LABELS,
  DEFAULT_TT27_OPTIONS,
  QUALITIES_AND_COMPETENCIES,
  QUALITY_CODES,
  SUBJECT_LEVEL_LABELS,
  QUALITY_LEVEL_LABELS,
  YEAR_OUTCOMES,
  checkpointResults,
  completionAfterSupport,
  endOfYearResult,
  gradeCompletion,
  isValidPeriodicTestScore,
  parsePeriodicTestScore,
  periodicTestCheckpoints,
  periodicTestRequired,
  primaryYearAwards,
  tieuBieuRefusal,
  RECORDED_PRIMARY_AWARD_LABELS,
  principalDecisionsFor,
  qualityLabel,
  type CheckpointRecord,
  type QualityCode,
  type QualityLevel,
  type SubjectLevel,
  type YearOutcome,
} from './tt27.js';

const GRADE4_SUBJECTS = ['tieng_viet', 'toan', 'ngoai_ngu_1', 'dao_duc', 'lich_su_dia_li', 'khoa_hoc', 'tin_hoc_cong_nghe', 'gdtc', 'am_nhac', 'mi_thuat', 'hdtn'];
const GRADE4_TESTED = ['tieng_viet', 'toan', 'ngoai_ngu_1', 'lich_su_dia_li', 'khoa_hoc', 'tin_hoc_cong_nghe'];

type Overrides = {
  levels?: Record<string, SubjectLevel | 'exempt' | null>;
  scores?: Record<string, number | null>;
  qualities?: Partial<Record<QualityCode, QualityLevel | null>>;
  /** Every test's score unless overridden (tenths). */
  score?: number;
};

/** A grade-4 end-of-year record: every subject T, every quality Tốt, every test 10 unless overridden. */
function grade4Record(o: Overrides = {}): CheckpointRecord {
  return {
    subjects: GRADE4_SUBJECTS.map((subjectCode) => ({
      subjectCode,
      level: o.levels && subjectCode in o.levels ? o.levels[subjectCode] : 'hoan_thanh_tot',
      testScore: GRADE4_TESTED.includes(subjectCode) ? (o.scores && subjectCode in o.scores ? o.scores[subjectCode] : (o.score ?? 100)) : undefined,
    })),
    qualities: Object.fromEntries(QUALITY_CODES.map((c) => [c, o.qualities && c in o.qualities ? o.qualities[c] : 'tot'])),
  };
}
const outcomeOf = (record: CheckpointRecord, grade = 4) => {
  const r = endOfYearResult(grade, record);
  if (r.status !== 'ok') throw new Error(r.reasons.join('; '));
  return r.value;
};

describe('TT27/2020 Điều 7: checkpoints and levels', () => {
  it('four checkpoints with their Vietnamese names, in order', () => {
    expect(CHECKPOINTS.map((c) => CHECKPOINT_LABELS[c])).toEqual(['Giữa học kì I', 'Cuối học kì I', 'Giữa học kì II', 'Cuối năm học']);
  });
  it('subject levels T/H/C and quality levels Tốt/Đạt/Cần cố gắng', () => {
    expect(Object.values(SUBJECT_LEVEL_LABELS)).toEqual(['Hoàn thành tốt', 'Hoàn thành', 'Chưa hoàn thành']);
    expect(Object.values(QUALITY_LEVEL_LABELS)).toEqual(['Tốt', 'Đạt', 'Cần cố gắng']);
  });
  it('5 qualities, 3 general and 7 specific competencies, unique ASCII codes', () => {
    const count = (g: string) => QUALITIES_AND_COMPETENCIES.filter((q) => q.group === g).length;
    expect([count('pham_chat'), count('nang_luc_chung'), count('nang_luc_dac_thu')]).toEqual([5, 3, 7]);
    expect(new Set(QUALITY_CODES).size).toBe(15);
    for (const c of QUALITY_CODES) expect(c).toMatch(/^[a-z_]+$/);
    expect(qualityLabel('pc_yeu_nuoc')).toBe('Phẩm chất yêu nước');
    expect(qualityLabel('nlc_gqvd_sang_tao')).toBe('Năng lực giải quyết vấn đề và sáng tạo');
    expect(qualityLabel('nldt_tham_mi')).toBe('Năng lực thẩm mĩ');
  });
});

describe('TT27/2020 Điều 7 khoản 2: periodic tests by grade, subject and checkpoint', () => {
  it('grades 1–2: Tiếng Việt and Toán at end of term I and end of year only', () => {
    for (const grade of [1, 2]) {
      expect(periodicTestCheckpoints(grade, 'tieng_viet')).toEqual(['end_term1', 'end_year']);
      expect(periodicTestCheckpoints(grade, 'toan')).toEqual(['end_term1', 'end_year']);
      // grades 1–2 have no compulsory Ngoại ngữ 1 or Tin học và Công nghệ
      expect(periodicTestCheckpoints(grade, 'ngoai_ngu_1')).toEqual([]);
      expect(periodicTestCheckpoints(grade, 'tin_hoc_cong_nghe')).toEqual([]);
    }
  });
  it('grade 3 adds Ngoại ngữ 1 and Tin học và Công nghệ; no Lịch sử và Địa lí, no Khoa học yet', () => {
    expect(periodicTestCheckpoints(3, 'ngoai_ngu_1')).toEqual(['end_term1', 'end_year']);
    expect(periodicTestCheckpoints(3, 'tin_hoc_cong_nghe')).toEqual(['end_term1', 'end_year']);
    expect(periodicTestCheckpoints(3, 'lich_su_dia_li')).toEqual([]);
    expect(periodicTestCheckpoints(3, 'khoa_hoc')).toEqual([]);
    expect(periodicTestRequired(3, 'toan', 'mid_term1')).toBe(false);
  });
  it('grades 4–5: all six subjects at end of term I and year; Tiếng Việt and Toán also at both mid-terms', () => {
    for (const grade of [4, 5]) {
      expect(periodicTestCheckpoints(grade, 'tieng_viet')).toEqual(['mid_term1', 'end_term1', 'mid_term2', 'end_year']);
      expect(periodicTestCheckpoints(grade, 'toan')).toEqual(['mid_term1', 'end_term1', 'mid_term2', 'end_year']);
      for (const s of ['ngoai_ngu_1', 'lich_su_dia_li', 'khoa_hoc', 'tin_hoc_cong_nghe']) expect(periodicTestCheckpoints(grade, s)).toEqual(['end_term1', 'end_year']);
    }
  });
  it('comment-only subjects and activities never have a test', () => {
    for (const grade of [1, 2, 3, 4, 5]) for (const s of ['dao_duc', 'tnxh', 'gdtc', 'am_nhac', 'mi_thuat', 'hdtn']) expect(periodicTestCheckpoints(grade, s)).toEqual([]);
  });
  it('TT27 covers grades 1–5 only', () => {
    expect(() => periodicTestRequired(6, 'toan', 'end_year')).toThrow(RangeError);
    expect(() => periodicTestRequired(0, 'toan', 'end_year')).toThrow(RangeError);
  });
  it('scores are whole points 1–10: 10..100 tenths in steps of 10; 0 and decimals refused', () => {
    expect([10, 50, 100].every(isValidPeriodicTestScore)).toBe(true);
    expect([0, 5, 85, 110, 9.5].some(isValidPeriodicTestScore)).toBe(false);
    expect(parsePeriodicTestScore('8')).toEqual({ ok: true, tenths: 80 });
    expect(parsePeriodicTestScore('8,5').ok).toBe(false);
    expect(parsePeriodicTestScore('0').ok).toBe(false);
  });
});

describe('TT27/2020 Điều 7: a checkpoint record is complete or says what is missing', () => {
  it('mid-term I of grade 4 needs only the Tiếng Việt and Toán tests', () => {
    const record = grade4Record({ scores: { ngoai_ngu_1: null, khoa_hoc: null, lich_su_dia_li: null, tin_hoc_cong_nghe: null } });
    expect(checkpointResults(4, 'mid_term1', record).status).toBe('ok');
    expect(checkpointResults(4, 'end_term1', record)).toEqual({
      status: 'incomplete',
      reasons: [
        'Ngoại ngữ 1: thiếu điểm bài kiểm tra định kì cuối học kì I',
        'Lịch sử và Địa lí: thiếu điểm bài kiểm tra định kì cuối học kì I',
        'Khoa học: thiếu điểm bài kiểm tra định kì cuối học kì I',
        'Tin học và Công nghệ: thiếu điểm bài kiểm tra định kì cuối học kì I',
      ],
    });
  });
  it('a missing subject, level, quality or an invalid score is incomplete, never a level', () => {
    const record = grade4Record({ levels: { am_nhac: null }, scores: { toan: 85 }, qualities: { pc_trung_thuc: null } });
    const withoutHdtn: CheckpointRecord = { ...record, subjects: record.subjects.filter((s) => s.subjectCode !== 'hdtn') };
    expect(endOfYearResult(4, withoutHdtn)).toEqual({
      status: 'incomplete',
      reasons: [
        'Toán: điểm bài kiểm tra định kì phải là số nguyên từ 1 đến 10 (đang có 8,5)',
        'Âm nhạc: chưa có mức đánh giá cuối năm học',
        'Hoạt động trải nghiệm: chưa có mức đánh giá cuối năm học',
        'Phẩm chất trung thực: chưa có mức đánh giá cuối năm học',
      ],
    });
  });
  it('a subject entered twice is refused rather than guessed', () => {
    const record = grade4Record();
    const twice: CheckpointRecord = { ...record, subjects: [...record.subjects, { subjectCode: 'toan', level: 'hoan_thanh', testScore: 60 }] };
    expect(endOfYearResult(4, twice)).toEqual({ status: 'incomplete', reasons: ['Toán: được nhập 2 lần'] });
  });
});

describe('TT27/2020 Điều 9: end-of-year outcome', () => {
  it('Hoàn thành xuất sắc: all T, all Tốt, every end-of-year test ≥ 9 (a test at 9 is HTXS, at 8 HTT)', () => {
    expect(outcomeOf(grade4Record({ score: 90 }))).toEqual({ outcome: 'hoan_thanh_xuat_sac', shortOf: [] });
    expect(outcomeOf(grade4Record({ score: 100, scores: { khoa_hoc: 80 } }))).toEqual({
      outcome: 'hoan_thanh_tot',
      shortOf: ['Khoa học: điểm kiểm tra cuối năm 8, cần từ 9'],
    });
  });
  it('Hoàn thành tốt needs every test ≥ 7 (7: HTT; 6: HT)', () => {
    expect(outcomeOf(grade4Record({ scores: { toan: 70 } })).outcome).toBe('hoan_thanh_tot');
    expect(outcomeOf(grade4Record({ scores: { toan: 60 } }))).toEqual({ outcome: 'hoan_thanh', shortOf: ['Toán: điểm kiểm tra cuối năm 6, cần từ 7'] });
  });
  it('Hoàn thành needs every test ≥ 5 (5: HT; 4: CHT)', () => {
    expect(outcomeOf(grade4Record({ scores: { tieng_viet: 50 } })).outcome).toBe('hoan_thanh');
    expect(outcomeOf(grade4Record({ scores: { tieng_viet: 40 } }))).toEqual({ outcome: 'chua_hoan_thanh', shortOf: ['Tiếng Việt: điểm kiểm tra cuối năm 4, cần từ 5'] });
  });
  it('one quality or competency at Đạt, with perfect marks everywhere else: Hoàn thành', () => {
    expect(outcomeOf(grade4Record({ qualities: { nldt_the_chat: 'dat' } }))).toEqual({ outcome: 'hoan_thanh', shortOf: ['Năng lực thể chất: Đạt, cần Tốt'] });
  });
  it('one subject at H (even a comment-only activity): Hoàn thành; one at C: Chưa hoàn thành', () => {
    expect(outcomeOf(grade4Record({ levels: { hdtn: 'hoan_thanh' } }))).toEqual({ outcome: 'hoan_thanh', shortOf: ['Hoạt động trải nghiệm: Hoàn thành, cần Hoàn thành tốt'] });
    expect(outcomeOf(grade4Record({ levels: { mi_thuat: 'chua_hoan_thanh' } }))).toEqual({
      outcome: 'chua_hoan_thanh',
      shortOf: ['Mĩ thuật: Chưa hoàn thành, cần Hoàn thành tốt hoặc Hoàn thành'],
    });
  });
  it('one quality at Cần cố gắng: Chưa hoàn thành', () => {
    expect(outcomeOf(grade4Record({ qualities: { pc_cham_chi: 'can_co_gang' } })).outcome).toBe('chua_hoan_thanh');
  });
  it('an exempt subject (miễn) is left out, its test with it', () => {
    expect(outcomeOf(grade4Record({ levels: { gdtc: 'exempt' } })).outcome).toBe('hoan_thanh_xuat_sac');
    expect(outcomeOf(grade4Record({ levels: { ngoai_ngu_1: 'exempt' }, scores: { ngoai_ngu_1: null } })).outcome).toBe('hoan_thanh_xuat_sac');
  });
  it('grade 1: only Tiếng Việt and Toán tests count; an elective entered with a level counts, without a test', () => {
    const subjects = ['tieng_viet', 'toan', 'dao_duc', 'tnxh', 'gdtc', 'am_nhac', 'mi_thuat', 'hdtn'].map((subjectCode) => ({
      subjectCode,
      level: 'hoan_thanh_tot' as const,
      testScore: ['tieng_viet', 'toan'].includes(subjectCode) ? 90 : null,
    }));
    const qualities = Object.fromEntries(QUALITY_CODES.map((c) => [c, 'tot' as const]));
    expect(outcomeOf({ subjects, qualities }, 1).outcome).toBe('hoan_thanh_xuat_sac');
    const withElective = [...subjects, { subjectCode: 'ngoai_ngu_1', name: 'Tiếng Anh (tự chọn)', level: 'hoan_thanh' as const, testScore: null }];
    expect(outcomeOf({ subjects: withElective, qualities }, 1)).toEqual({ outcome: 'hoan_thanh', shortOf: ['Tiếng Anh (tự chọn): Hoàn thành, cần Hoàn thành tốt'] });
  });
  it('the qualities assessed per grade are an option (default: all fifteen in every grade)', () => {
    const noTechBelowGrade3 = { ...DEFAULT_TT27_OPTIONS, qualityCodesForGrade: (g: number) => QUALITY_CODES.filter((c) => g > 2 || (c !== 'nldt_tin_hoc' && c !== 'nldt_cong_nghe')) };
    const grade2: CheckpointRecord = {
      subjects: ['tieng_viet', 'toan', 'dao_duc', 'tnxh', 'gdtc', 'am_nhac', 'mi_thuat', 'hdtn'].map((subjectCode) => ({ subjectCode, level: 'hoan_thanh' })),
      qualities: Object.fromEntries(QUALITY_CODES.filter((c) => c !== 'nldt_tin_hoc' && c !== 'nldt_cong_nghe').map((c) => [c, 'dat'])),
    };
    expect(checkpointResults(2, 'mid_term1', grade2)).toEqual({
      status: 'incomplete',
      reasons: ['Năng lực công nghệ: chưa có mức đánh giá giữa học kì I', 'Năng lực tin học: chưa có mức đánh giá giữa học kì I'],
    });
    expect(checkpointResults(2, 'mid_term1', grade2, noTechBelowGrade3).status).toBe('ok');
  });

  const levelArb = fc.constantFrom<SubjectLevel>('hoan_thanh_tot', 'hoan_thanh', 'chua_hoan_thanh');
  const qualityArb = fc.constantFrom<QualityLevel>('tot', 'dat', 'can_co_gang');
  const scoreArb = fc.integer({ min: 1, max: 10 }).map((p) => p * 10);
  const recordArb = fc
    .tuple(fc.array(levelArb, { minLength: GRADE4_SUBJECTS.length, maxLength: GRADE4_SUBJECTS.length }), fc.array(qualityArb, { minLength: 15, maxLength: 15 }), fc.array(scoreArb, { minLength: 6, maxLength: 6 }))
    .map(([levels, qs, scores]) =>
      grade4Record({
        levels: Object.fromEntries(GRADE4_SUBJECTS.map((s, i) => [s, levels[i]])),
        qualities: Object.fromEntries(QUALITY_CODES.map((c, i) => [c, qs[i]])),
        scores: Object.fromEntries(GRADE4_TESTED.map((s, i) => [s, scores[i]])),
      }),
    );
  const rank = (o: YearOutcome) => 3 - YEAR_OUTCOMES.indexOf(o);

  it('property: the outcome is exactly the table — checked against the definitions restated', () => {
    fc.assert(
      fc.property(recordArb, (record) => {
        const subjects = record.subjects.map((s) => s.level);
        const qs = Object.values(record.qualities);
        const tests = record.subjects.flatMap((s) => (typeof s.testScore === 'number' ? [s.testScore] : []));
        const allT = subjects.every((l) => l === 'hoan_thanh_tot');
        const allTot = qs.every((q) => q === 'tot');
        const min = Math.min(...tests);
        const expected: YearOutcome =
          allT && allTot && min >= 90 ? 'hoan_thanh_xuat_sac'
          : allT && allTot && min >= 70 ? 'hoan_thanh_tot'
          : !subjects.includes('chua_hoan_thanh') && !qs.includes('can_co_gang') && min >= 50 ? 'hoan_thanh'
          : 'chua_hoan_thanh';
        const r = outcomeOf(record);
        expect(r.outcome).toBe(expected);
        expect(r.shortOf.length === 0).toBe(expected === 'hoan_thanh_xuat_sac');
      }),
      { numRuns: 2000 },
    );
  });
  it('property: raising one test score never lowers the outcome', () => {
    fc.assert(
      fc.property(recordArb, fc.constantFrom(...GRADE4_TESTED), (record, subject) => {
        const before = outcomeOf(record).outcome;
        const raised: CheckpointRecord = { ...record, subjects: record.subjects.map((s) => (s.subjectCode === subject ? { ...s, testScore: 100 } : s)) };
        expect(rank(outcomeOf(raised).outcome)).toBeGreaterThanOrEqual(rank(before));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('TT27/2020 Điều 11: completing the grade', () => {
  it('HTXS, HTT and HT complete the grade; grade 5 completes primary', () => {
    for (const o of ['hoan_thanh_xuat_sac', 'hoan_thanh_tot', 'hoan_thanh'] as const) {
      expect(gradeCompletion(3, o)).toEqual({ status: 'completed', label: 'Hoàn thành chương trình lớp học' });
      expect(gradeCompletion(5, o)).toEqual({ status: 'completed', label: 'Hoàn thành chương trình tiểu học' });
    }
  });
  it('Chưa hoàn thành is pending the school’s support and additional assessment, not yet a decision', () => {
    expect(gradeCompletion(2, 'chua_hoan_thanh')).toEqual({ status: 'pending_support', label: 'Chưa hoàn thành: chờ giúp đỡ, đánh giá bổ sung' });
  });
  it('after support: reaching Hoàn thành completes the grade', () => {
    expect(completionAfterSupport(2, 'hoan_thanh')).toEqual({ status: 'completed', label: 'Hoàn thành chương trình lớp học' });
    expect(completionAfterSupport(5, 'hoan_thanh').label).toBe('Hoàn thành chương trình tiểu học');
  });
  it('still Chưa hoàn thành: awaiting the principal, who decides lên lớp or ở lại lớp', () => {
    expect(completionAfterSupport(2, 'chua_hoan_thanh').status).toBe('awaiting_principal');
    expect(completionAfterSupport(2, 'chua_hoan_thanh', 'len_lop')).toEqual({ status: 'promoted', label: 'Lên lớp (chưa hoàn thành chương trình lớp học)' });
    expect(completionAfterSupport(2, 'chua_hoan_thanh', 'o_lai_lop')).toEqual({ status: 'retained', label: 'Ở lại lớp' });
  });
  it('grade 5: only ở lại lớp by default (lower secondary needs the primary certification); an option allows both', () => {
    expect(principalDecisionsFor(4)).toEqual(['len_lop', 'o_lai_lop']);
    expect(principalDecisionsFor(5)).toEqual(['o_lai_lop']);
    expect(() => completionAfterSupport(5, 'chua_hoan_thanh', 'len_lop')).toThrow(RangeError);
    expect(completionAfterSupport(5, 'chua_hoan_thanh', 'len_lop', { ...DEFAULT_TT27_OPTIONS, grade5PrincipalMayPromote: true }).status).toBe('promoted');
  });
});

describe('TT27/2020 Điều 13: year-end awards', () => {
  it('Học sinh Xuất sắc for Hoàn thành xuất sắc', () => {
    expect(primaryYearAwards('hoan_thanh_xuat_sac')).toEqual(['hoc_sinh_xuat_sac']);
  });
  it('Học sinh Tiêu biểu for Hoàn thành tốt with an outstanding subject or clear progress, recognised by the class', () => {
    expect(primaryYearAwards('hoan_thanh_tot', { outstandingSubjects: ['toan'], recognisedByClass: true })).toEqual(['hoc_sinh_tieu_bieu']);
    expect(primaryYearAwards('hoan_thanh_tot', { clearProgressIn: ['nlc_giao_tiep_hop_tac'], recognisedByClass: true })).toEqual(['hoc_sinh_tieu_bieu']);
  });
  it('nothing for Hoàn thành tốt without grounds, without the class, or without a nomination', () => {
    expect(primaryYearAwards('hoan_thanh_tot')).toEqual([]);
    expect(primaryYearAwards('hoan_thanh_tot', { outstandingSubjects: [], clearProgressIn: [], recognisedByClass: true })).toEqual([]);
    expect(primaryYearAwards('hoan_thanh_tot', { outstandingSubjects: ['toan'], recognisedByClass: false })).toEqual([]);
  });
  it('nothing for Hoàn thành or Chưa hoàn thành, whatever the nomination', () => {
    const n = { outstandingSubjects: ['toan'], recognisedByClass: true };
    expect(primaryYearAwards('hoan_thanh', n)).toEqual([]);
    expect(primaryYearAwards('chua_hoan_thanh', n)).toEqual([]);
  });
  it('end to end: a grade-5 record with every test at 9 → HTXS → Học sinh Xuất sắc, primary completed', () => {
    const r = endOfYearResult(5, grade4Record({ score: 90 }));
    expect(r).toEqual(ok({ outcome: 'hoan_thanh_xuat_sac', shortOf: [] }));
    if (r.status === 'ok') {
      expect(primaryYearAwards(r.value.outcome)).toEqual(['hoc_sinh_xuat_sac']);
      expect(gradeCompletion(5, r.value.outcome).label).toBe('Hoàn thành chương trình tiểu học');
    }
  });
});

describe('TT27/2020 Điều 13 khoản 1 điểm a: who may be recorded Học sinh Tiêu biểu', () => {
  it('a Hoàn thành tốt year may (the achievement is the teacher\'s and the class\'s judgement, not computed)', () => {
    expect(tieuBieuRefusal('hoan_thanh_tot')).toBeNull();
    expect(RECORDED_PRIMARY_AWARD_LABELS.tieu_bieu).toBe('Học sinh Tiêu biểu hoàn thành tốt trong học tập và rèn luyện');
  });
  it('Hoàn thành xuất sắc gets Học sinh Xuất sắc instead: one title per outcome, never both', () => {
    expect(tieuBieuRefusal('hoan_thanh_xuat_sac')).toMatch(/Học sinh Xuất sắc/);
  });
  it('Hoàn thành, Chưa hoàn thành and a year without an outcome are refused, the reason naming the outcome', () => {
    expect(tieuBieuRefusal('hoan_thanh')).toBe('Kết quả giáo dục cả năm là Hoàn thành; chỉ học sinh Hoàn thành tốt mới được khen Học sinh Tiêu biểu (Thông tư 27/2020, Điều 13).');
    expect(tieuBieuRefusal('chua_hoan_thanh')).toMatch(/^Kết quả giáo dục cả năm là Chưa hoàn thành;/);
    expect(tieuBieuRefusal(null)).toMatch(/Chưa có kết quả giáo dục cả năm/);
  });
  it('agrees with primaryYearAwards: refused exactly where a recognised nomination earns no Tiêu biểu title', () => {
    const n = { outstandingSubjects: ['toan'], recognisedByClass: true };
    for (const o of YEAR_OUTCOMES) expect(tieuBieuRefusal(o) === null).toBe(primaryYearAwards(o, n).includes('hoc_sinh_tieu_bieu'));
  });
});
