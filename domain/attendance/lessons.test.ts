import { describe, expect, it } from 'vitest';
import { LESSONS_PER_SESSION, lessonLabel, lessonsOf, sessionOfLesson } from './lessons.js';

describe('lessons of a school day (attendance per lesson)', () => {
  it('a morning class has lessons 1–5, an afternoon class 6–10 read as 1–5 of the afternoon, a full-day class both', () => {
    expect(lessonsOf('morning')).toEqual([1, 2, 3, 4, 5]);
    expect(lessonsOf('afternoon')).toEqual([6, 7, 8, 9, 10]);
    expect(lessonsOf('full_day')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(lessonsOf('afternoon').map(lessonLabel)).toEqual(['Tiết 1 (chiều)', 'Tiết 2 (chiều)', 'Tiết 3 (chiều)', 'Tiết 4 (chiều)', 'Tiết 5 (chiều)']);
  });
  it('the boundary between the sessions is the fifth lesson', () => {
    expect(LESSONS_PER_SESSION).toBe(5);
    expect(sessionOfLesson(5)).toBe('morning');
    expect(sessionOfLesson(6)).toBe('afternoon');
    expect(lessonLabel(5)).toBe('Tiết 5 (sáng)');
    expect(lessonLabel(6)).toBe('Tiết 1 (chiều)');
  });
});
