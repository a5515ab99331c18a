import { describe, expect, it } from 'vitest';
import { absenceWarning, attendanceEntries, countLines, firstReasons, groupReasons, lessonAbsences, lessonDraftOf, type Level, type Mark, markKey, primaryLevelCounts, ratingChanges, termOfPeriod } from './results-logic';

const student = (id: string, t1: Level | null, t2: Level | null) => ({
  studentId: id,
  fullName: id,
  trainingTerm1: t1,
  trainingTerm2: t2,
  learning: null,
  learningNote: null,
  training: null,
  sessionsAbsent: 0,
  sessionsAbsentExcused: 0,
  promotion: null,
  promotionDetail: null,
  award: null,
  missing: [],
  hocBaReady: false,
  marks: {},
  outcome: null,
  completion: null,
  qualities: {},
  afterSummer: null,
});

describe('training ratings', () => {
  it('sends only the rows whose draft differs from the server, a cleared one as null', () => {
    const students = [student('a', 'tot', null), student('b', 'kha', 'kha'), student('c', null, 'dat')];
    const draft = new Map<string, Level | null>([
      ['a', 'tot'],
      ['b', 'tot'],
      ['c', null],
    ]);
    expect(ratingChanges(students, 2, draft)).toEqual([
      { studentId: 'a', level: 'tot' },
      { studentId: 'b', level: 'tot' },
      { studentId: 'c', level: null },
    ]);
    expect(ratingChanges(students, 1, draft)).toEqual([{ studentId: 'b', level: 'tot' }]);
  });

  it('a period rates its own term; the year rates the current one', () => {
    expect(termOfPeriod('hk1', 2)).toBe(1);
    expect(termOfPeriod('hk2', 1)).toBe(2);
    expect(termOfPeriod('cn', 2)).toBe(2);
  });
});

describe('counts', () => {
  it('follow the labels order, leave zeros out and keep an unknown code readable', () => {
    expect(countLines({ kha: 3, tot: 2, dat: 0, other: 1 }, { tot: 'Tốt', kha: 'Khá', dat: 'Đạt' })).toEqual([
      { label: 'Tốt', n: 2 },
      { label: 'Khá', n: 3 },
      { label: 'other', n: 1 },
    ]);
  });
});

describe('attendance', () => {
  const day = '2026-12-04';
  const s = (id: string, absences: { date: string; session: 'morning' | 'afternoon'; excused: boolean; reason: string | null }[]) => ({
    studentId: id,
    fullName: id,
    absences,
    lessonAbsences: [],
    yearExcused: 0,
    yearUnexcused: 0,
  });
  const students = [s('a', [{ date: day, session: 'morning', excused: true, reason: 'Ốm' }]), s('b', [])];

  it('sends a new absence with its reason, a removed one as present, nothing for what did not change', () => {
    const draft = new Map<string, Mark>([
      [markKey('a', 'morning'), { status: 'present', reason: 'Ốm' }],
      [markKey('b', 'morning'), { status: 'unexcused', reason: '  đi muộn ' }],
      [markKey('b', 'afternoon'), { status: 'present', reason: '' }],
    ]);
    expect(attendanceEntries(students, ['morning', 'afternoon'], day, draft)).toEqual([
      { studentId: 'a', date: day, session: 'morning', status: 'present' },
      { studentId: 'b', date: day, session: 'morning', status: 'unexcused', reason: 'đi muộn' },
    ]);
  });

  it('a changed reason alone is sent; an unchanged one is not', () => {
    expect(attendanceEntries(students, ['morning'], day, new Map([[markKey('a', 'morning'), { status: 'excused', reason: 'Ốm' }]]))).toEqual([]);
    expect(attendanceEntries(students, ['morning'], day, new Map([[markKey('a', 'morning'), { status: 'excused', reason: 'Sốt' }]]))).toEqual([
      { studentId: 'a', date: day, session: 'morning', status: 'excused', reason: 'Sốt' },
    ]);
  });

  it('warns from four fifths of the limit, and at the limit', () => {
    expect(absenceWarning(35, 45)).toBeNull();
    expect(absenceWarning(36, 45)).toBe('near');
    expect(absenceWarning(44, 45)).toBe('near');
    expect(absenceWarning(45, 45)).toBe('over');
  });
});

describe('reasons a student is not yet classified', () => {
  it('names the subjects that share a reason together, in the order the reasons first appear', () => {
    expect(
      groupReasons([
        'Ngữ văn: học kì II chưa có điểm trung bình',
        'Toán: học kì II chưa có điểm trung bình',
        'Âm nhạc: học kì II chưa được đánh giá',
        'Toán: thiếu điểm CK',
        'Mĩ thuật: học kì II chưa được đánh giá',
        'chưa có kết quả rèn luyện',
      ]),
    ).toEqual(['Ngữ văn, Toán: học kì II chưa có điểm trung bình', 'Âm nhạc, Mĩ thuật: học kì II chưa được đánh giá', 'Toán: thiếu điểm CK', 'chưa có kết quả rèn luyện']);
  });
  it('leaves a single reason and an empty list as they are', () => {
    expect(groupReasons(['Toán: thiếu điểm CK'])).toEqual(['Toán: thiếu điểm CK']);
    expect(groupReasons([])).toEqual([]);
  });
});

describe('a lesson roll', () => {
  it('sends the absent students in class-list order, excused or not, a blank reason left out; a student marked present again is not sent', () => {
    const draft = new Map<string, Mark>([
      ['c', { status: 'unexcused', reason: '  ' }],
      ['a', { status: 'excused', reason: ' Ốm ' }],
      ['b', { status: 'present', reason: 'Ốm' }],
    ]);
    expect(lessonAbsences(['a', 'b', 'c', 'd'], draft)).toEqual([
      { studentId: 'a', excused: true, reason: 'Ốm' },
      { studentId: 'c', excused: false },
    ]);
  });
  it('reads a roll already called back into marks', () => {
    const draft = lessonDraftOf([{ studentId: 'a', excused: false, reason: null }]);
    expect(draft.get('a')).toEqual({ status: 'unexcused', reason: '' });
    expect(lessonAbsences(['a', 'b'], draft)).toEqual([{ studentId: 'a', excused: false }]);
  });
});

describe('primaryLevelCounts (TT27 Điều 7: a term shows each subject\'s level, no overall outcome)', () => {
  it('counts the subjects by the level the server wrote, test scores and empty cells aside', () => {
    expect(primaryLevelCounts({ toan: 'T (9)', tieng_viet: 'H (6)', dao_duc: 'T', tnxh: 'C', am_nhac: '', mi_thuat: 'Miễn' })).toEqual({ T: 2, H: 1, C: 1 });
    expect(primaryLevelCounts({ toan: '', tieng_viet: 'Miễn' })).toBeNull();
  });
});

describe('firstReasons', () => {
  it('groups the reasons by their wording, shows three and says how many more', () => {
    const more = (n: number) => `và ${n} điều khác`;
    expect(firstReasons(['Toán: thiếu điểm cuối kì', 'Ngữ văn: thiếu điểm cuối kì'], more)).toBe('Toán, Ngữ văn: thiếu điểm cuối kì');
    const five = ['Toán: a', 'Ngữ văn: b', 'Tin học: c', 'Lịch sử: d', 'chưa xếp loại rèn luyện học kì I'];
    expect(firstReasons(five, more)).toBe('Toán: a; Ngữ văn: b; Tin học: c; và 2 điều khác');
    expect(firstReasons([], more)).toBe('');
  });
});
