import { describe, expect, it } from 'vitest';
import { inQuietHours, leaveParts, parseDayMinute, partSessions, quietHoursEnd, schoolDays } from './contact-book.js';

// Vietnam is UTC+7 all year: 21:00 in Hà Nội is 14:00 UTC.
const vn = (isoLocal: string) => new Date(`${isoLocal}+07:00`);

describe('quiet hours (issue 11 §4: the teacher sets them; a message written then is told at their end)', () => {
  const night = { from: parseDayMinute('21:00')!, to: parseDayMinute('06:30')! };

  it('run across midnight: 21:00 and 06:29 are quiet, 06:30 and 20:59 are not (the end is not part of them)', () => {
    expect(inQuietHours(night, vn('2026-03-02T21:00:00'))).toBe(true);
    expect(inQuietHours(night, vn('2026-03-02T23:59:00'))).toBe(true);
    expect(inQuietHours(night, vn('2026-03-03T00:00:00'))).toBe(true);
    expect(inQuietHours(night, vn('2026-03-03T06:29:00'))).toBe(true);
    expect(inQuietHours(night, vn('2026-03-03T06:30:00'))).toBe(false);
    expect(inQuietHours(night, vn('2026-03-02T20:59:00'))).toBe(false);
  });

  it('a message at 22:15 reaches the teacher at 06:30 the next morning; one at 05:00 the same morning; one at noon at once', () => {
    expect(quietHoursEnd(night, vn('2026-03-02T22:15:00'))?.toISOString()).toBe(vn('2026-03-03T06:30:00').toISOString());
    expect(quietHoursEnd(night, vn('2026-03-03T05:00:00'))?.toISOString()).toBe(vn('2026-03-03T06:30:00').toISOString());
    expect(quietHoursEnd(night, vn('2026-03-03T12:00:00'))).toBeNull();
  });

  it('by Vietnam time, whatever the server clock says: 23:30 UTC is 06:30 in Hà Nội, already outside', () => {
    expect(inQuietHours(night, new Date('2026-03-02T23:29:00Z'))).toBe(true);
    expect(inQuietHours(night, new Date('2026-03-02T23:30:00Z'))).toBe(false);
  });

  it('within one day (12:00–13:30) and none when both ends are the same', () => {
    const lunch = { from: 720, to: 810 };
    expect(inQuietHours(lunch, vn('2026-03-02T12:45:00'))).toBe(true);
    expect(quietHoursEnd(lunch, vn('2026-03-02T12:45:00'))?.toISOString()).toBe(vn('2026-03-02T13:30:00').toISOString());
    expect(inQuietHours(lunch, vn('2026-03-02T13:30:00'))).toBe(false);
    expect(inQuietHours({ from: 600, to: 600 }, vn('2026-03-02T10:00:00'))).toBe(false);
  });

  it('reads a time of day on the 24-hour clock, and nothing else', () => {
    expect(parseDayMinute('06:30')).toBe(390);
    expect(parseDayMinute('6:30')).toBe(390);
    expect(parseDayMinute('24:00')).toBeNull();
    expect(parseDayMinute('21h')).toBeNull();
  });
});

describe('leave requests: the days and sessions asked for (issue 11 §5, per the class session pattern)', () => {
  it('both ends of the range are school days asked for; Sunday is left out', () => {
    // 2026-03-07 is a Saturday, 2026-03-08 a Sunday.
    expect(schoolDays('2026-03-06', '2026-03-09')).toEqual(['2026-03-06', '2026-03-07', '2026-03-09']);
    expect(schoolDays('2026-03-08', '2026-03-08')).toEqual([]);
    expect(schoolDays('2026-03-09', '2026-03-09')).toEqual(['2026-03-09']);
  });

  it('a half-day class has only its own session: "cả ngày" is that session, the other one does not exist', () => {
    expect(leaveParts('morning')).toEqual(['full_day', 'morning']);
    expect(partSessions('full_day', 'morning')).toEqual(['morning']);
    expect(partSessions('afternoon', 'morning')).toBeNull();
    expect(partSessions('full_day', 'afternoon')).toEqual(['afternoon']);
    expect(partSessions('full_day', 'full_day')).toEqual(['morning', 'afternoon']);
    expect(partSessions('afternoon', 'full_day')).toEqual(['afternoon']);
  });
});
