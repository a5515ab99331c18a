import { describe, expect, it } from 'vitest';
import { todayIso } from './org-tree.js';

// "Today" is the day in Vietnam (UTC+7, no daylight saving): it changes at 17:00 UTC, not at
// midnight UTC. The answer is kept for the day it was asked for; asking about another instant,
// earlier or later, must never return the kept day by mistake.
describe('todayIso', () => {
  it('turns at midnight Vietnam time, whichever instants were asked before', () => {
    expect(todayIso(new Date('2026-09-04T16:59:59.999Z'))).toBe('2026-09-04');
    expect(todayIso(new Date('2026-09-04T17:00:00.000Z'))).toBe('2026-09-05');
    expect(todayIso(new Date('2026-09-04T16:59:59.999Z'))).toBe('2026-09-04');
    expect(todayIso(new Date('2026-09-04T00:00:00.000Z'))).toBe('2026-09-04');
    expect(todayIso(new Date('2026-09-03T17:00:00.000Z'))).toBe('2026-09-04');
    expect(todayIso(new Date('2026-09-03T16:59:59.999Z'))).toBe('2026-09-03');
    expect(todayIso(new Date('2026-12-31T17:00:00.000Z'))).toBe('2027-01-01');
  });

  it('agrees with the plain computation over a year of random instants', () => {
    const start = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < 2000; i++) {
      const t = start + Math.floor(Math.random() * 366 * 86_400_000);
      expect(todayIso(new Date(t))).toBe(new Date(t + 7 * 3_600_000).toISOString().slice(0, 10));
    }
  });
});
