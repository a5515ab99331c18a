import { describe, expect, it } from 'vitest';
import { markText, marksByTerm, weekdayOf, yearsAtSchool } from './child-results-logic';

describe('a published mark as a family reads it', () => {
  it('keeps a score as the server wrote it (decimal comma) and spells out a comment subject\'s Đ / CĐ', () => {
    expect(markText('7,5')).toBe('7,5');
    expect(markText('9')).toBe('9');
    expect(markText('Đ')).toBe('Đạt');
    expect(markText('CĐ')).toBe('Chưa đạt');
    // A primary level already comes in words.
    expect(markText('Hoàn thành tốt')).toBe('Hoàn thành tốt');
  });
});

describe('marks by term', () => {
  it('puts term I before term II, subjects in the server\'s order, and leaves out a term with nothing in it', () => {
    const terms = marksByTerm([
      {
        subjectName: 'Toán',
        terms: [
          { term: 2, marks: [{ label: 'TX1', value: '8' }], comment: null },
          { term: 1, marks: [{ label: 'TX1', value: '6,5' }, { label: 'Giữa kì', value: '7' }], comment: 'Chăm chỉ' },
        ],
      },
      { subjectName: 'Giáo dục thể chất', terms: [{ term: 1, marks: [{ label: 'TX1', value: 'Đ' }], comment: null }] },
      { subjectName: 'Âm nhạc', terms: [{ term: 1, marks: [], comment: null }] },
    ]);
    expect(terms).toEqual([
      {
        term: 1,
        subjects: [
          { subjectName: 'Toán', marks: [{ label: 'TX1', value: '6,5' }, { label: 'Giữa kì', value: '7' }], comment: 'Chăm chỉ' },
          { subjectName: 'Giáo dục thể chất', marks: [{ label: 'TX1', value: 'Đạt' }], comment: null },
        ],
      },
      { term: 2, subjects: [{ subjectName: 'Toán', marks: [{ label: 'TX1', value: '8' }], comment: null }] },
    ]);
  });

  it('keeps a subject that has only a comment published', () => {
    expect(marksByTerm([{ subjectName: 'Toán', terms: [{ term: 2, marks: [], comment: 'Cuối kì: Em tính nhanh.' }] }])).toEqual([
      { term: 2, subjects: [{ subjectName: 'Toán', marks: [], comment: 'Cuối kì: Em tính nhanh.' }] },
    ]);
  });

  it('is empty when nothing is published', () => {
    expect(marksByTerm([])).toEqual([]);
  });
});

describe('dates and years', () => {
  it('names the weekday of a calendar day', () => {
    expect(weekdayOf('2025-11-03')).toBe('Thứ Hai');
    expect(weekdayOf('2025-11-08')).toBe('Thứ Bảy');
    expect(weekdayOf('2025-11-09')).toBe('Chủ nhật');
  });

  it('offers the years the child spent at this school, newest first, once each', () => {
    const enrolments = [
      { year: 2024, schoolName: 'THCS A' },
      { year: 2025, schoolName: 'THCS A' },
      { year: 2025, schoolName: 'THCS A' },
      { year: 2023, schoolName: 'TH B' },
    ];
    expect(yearsAtSchool(enrolments, 'THCS A')).toEqual([2025, 2024]);
    expect(yearsAtSchool([], 'THCS A')).toEqual([]);
  });
});
