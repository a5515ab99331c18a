/**
 * Lessons (tiết) of a school day, for attendance taken per lesson. A class meets in the morning,
 * in the afternoon or both (its `session`); each session has at most LESSONS_PER_SESSION lessons,
 * numbered as the timetable reads them ("Tiết 2 buổi chiều"). Stored as one number per day, 1–5
 * for the morning and 6–10 for the afternoon, so a full-day class's lessons never collide.
 *
 * Five lessons a session is the usual timetable of Vietnamese schools (45-minute lessons, the
 * charters' cap on a day's lessons); UNCERTAIN for schools that run a sixth afternoon lesson, hence
 * a constant here rather than a number spread over the code.
 */
export type ClassSession = 'morning' | 'afternoon' | 'full_day';
export type DaySession = 'morning' | 'afternoon';

export const LESSONS_PER_SESSION = 5;

/** The stored lesson numbers a class may have on a day, in timetable order. */
export function lessonsOf(session: ClassSession): number[] {
  const morning = Array.from({ length: LESSONS_PER_SESSION }, (_, i) => i + 1);
  const afternoon = morning.map((n) => n + LESSONS_PER_SESSION);
  return session === 'morning' ? morning : session === 'afternoon' ? afternoon : [...morning, ...afternoon];
}

/** The session a stored lesson number falls in. */
export function sessionOfLesson(lesson: number): DaySession {
  return lesson <= LESSONS_PER_SESSION ? 'morning' : 'afternoon';
}

/** "Tiết 2 (sáng)", "Tiết 1 (chiều)": the lesson as the timetable names it. */
export function lessonLabel(lesson: number): string {
  const inSession = lesson <= LESSONS_PER_SESSION ? lesson : lesson - LESSONS_PER_SESSION;
  return `Tiết ${inSession} (${sessionOfLesson(lesson) === 'morning' ? 'sáng' : 'chiều'})`;
}
