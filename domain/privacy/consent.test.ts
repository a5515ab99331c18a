import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONSENT_PURPOSES, type ConsentEvent, decideConsent } from './consent.js';

const ev = (giver: ConsentEvent['giver'], action: ConsentEvent['action'], effectiveDate: string, recordedAt = `${effectiveDate}T08:00:00Z`): ConsentEvent => ({
  purpose: 'photo_publish',
  giver,
  action,
  effectiveDate,
  recordedAt,
});
const decide = (dateOfBirth: string, date: string, events: ConsentEvent[], purpose = 'photo_publish') =>
  decideConsent({ purpose, dateOfBirth, date, events });

describe('decideConsent — ND 13/2023 Art. 11 (expressed consent; silence is not consent)', () => {
  it('no record means not allowed, for every optional purpose', () => {
    for (const p of CONSENT_PURPOSES.filter((x) => x.basis === 'consent')) {
      const d = decide('2020-05-10', '2025-01-01', [], p.code);
      expect(d.allowed, p.code).toBe(false);
      expect(d.reason).toBe('guardian_missing');
    }
  });
  it('processing required by law (ND 13/2023 Art. 17) needs no consent, even after a withdrawal', () => {
    const d = decide('2012-05-10', '2025-01-01', [{ ...ev('guardian', 'withdraw', '2024-01-01'), purpose: 'school_records' }], 'school_records');
    expect(d).toMatchObject({ allowed: true, reason: 'legal_obligation', basis: 'legal_obligation' });
  });
  it('rejects an unknown purpose code', () => {
    expect(() => decide('2012-05-10', '2025-01-01', [], 'marketing')).toThrow(RangeError);
  });
});

describe('decideConsent — ND 13/2023 Art. 20, Law 91/2025 Art. 24: a child aged 7 or older consents too', () => {
  it('under 7: the guardian alone decides', () => {
    const d = decide('2019-09-01', '2025-06-01', [ev('guardian', 'give', '2025-05-01')]);
    expect(d).toMatchObject({ ageOnDate: 5, needsStudent: false, allowed: true, reason: 'ok' });
  });
  it('on the 7th birthday itself the child is 7: the guardian alone is no longer enough', () => {
    const events = [ev('guardian', 'give', '2025-01-01')];
    expect(decide('2018-03-15', '2025-03-14', events)).toMatchObject({ ageOnDate: 6, allowed: true });
    expect(decide('2018-03-15', '2025-03-15', events)).toMatchObject({ ageOnDate: 7, allowed: false, reason: 'student_missing' });
  });
  it('aged exactly 7 with both consents: allowed', () => {
    const events = [ev('guardian', 'give', '2025-01-01'), ev('student', 'give', '2025-03-15')];
    expect(decide('2018-03-15', '2025-03-15', events)).toMatchObject({ ageOnDate: 7, allowed: true, reason: 'ok' });
  });
  it('a child ≥ 7 who consented without the guardian: not allowed', () => {
    expect(decide('2012-01-01', '2025-06-01', [ev('student', 'give', '2025-01-01')])).toMatchObject({ allowed: false, reason: 'guardian_missing' });
  });
  it('born on 29 February: turns 7 on 1 March in a common year', () => {
    const events = [ev('guardian', 'give', '2026-01-01')];
    expect(decide('2020-02-29', '2027-02-28', events).needsStudent).toBe(false);
    expect(decide('2020-02-29', '2027-03-01', events).needsStudent).toBe(true);
  });
  it('from 18 the student alone decides (Bộ luật Dân sự 2015 Art. 20)', () => {
    const d = decide('2007-01-10', '2025-06-01', [ev('student', 'give', '2025-02-01')]);
    expect(d).toMatchObject({ ageOnDate: 18, needsGuardian: false, allowed: true });
  });
});

describe('decideConsent — withdrawal (ND 13/2023 Art. 12): either side ends it, from its date', () => {
  const given = [ev('guardian', 'give', '2025-01-01'), ev('student', 'give', '2025-01-01')];
  it('withdrawal by the guardian ends it on and after its effective date, not before', () => {
    const events = [...given, ev('guardian', 'withdraw', '2025-04-01')];
    expect(decide('2014-01-01', '2025-03-31', events).allowed).toBe(true);
    expect(decide('2014-01-01', '2025-04-01', events)).toMatchObject({ allowed: false, reason: 'withdrawn', guardian: 'withdrawn' });
  });
  it('withdrawal by the child ends it although the guardian still consents', () => {
    const events = [...given, ev('student', 'withdraw', '2025-04-01')];
    expect(decide('2014-01-01', '2025-05-01', events)).toMatchObject({ allowed: false, reason: 'withdrawn', student: 'withdrawn' });
  });
  it('a new consent after a withdrawal counts again; same-day acts are ordered by recording time', () => {
    const events = [...given, ev('guardian', 'withdraw', '2025-04-01', '2025-04-01T08:00:00Z'), ev('guardian', 'give', '2025-04-01', '2025-04-01T09:00:00Z')];
    expect(decide('2014-01-01', '2025-04-01', events).allowed).toBe(true);
    const reversed = [...given, ev('guardian', 'give', '2025-04-01', '2025-04-01T08:00:00Z'), ev('guardian', 'withdraw', '2025-04-01', '2025-04-01T09:00:00Z')];
    expect(decide('2014-01-01', '2025-04-01', reversed).allowed).toBe(false);
  });
  it('acts of other purposes do not count', () => {
    const events = given.map((e) => ({ ...e, purpose: 'contact_book' }));
    expect(decide('2014-01-01', '2025-05-01', events).allowed).toBe(false);
    expect(decide('2014-01-01', '2025-05-01', events, 'contact_book').allowed).toBe(true);
  });
});

describe('decideConsent — properties', () => {
  const day = fc.integer({ min: 0, max: 365 * 20 }).map((n) => new Date(Date.UTC(2005, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
  const event = fc.record({
    purpose: fc.constant('photo_publish'),
    action: fc.constantFrom('give' as const, 'withdraw' as const),
    giver: fc.constantFrom('guardian' as const, 'student' as const),
    effectiveDate: day,
    recordedAt: fc.integer({ min: 0, max: 1e6 }).map((n) => String(n).padStart(8, '0')),
  });
  it('allowed ⇔ every side the age requires has "give" as its latest act on or before the date', () => {
    fc.assert(
      fc.property(day, day, fc.array(event, { maxLength: 8 }), (dob, date, events) => {
        fc.pre(dob <= date);
        const d = decide(dob, date, events);
        const sideOk = (giver: string) => {
          const past = events.filter((e) => e.giver === giver && e.effectiveDate <= date);
          past.sort((a, b) => a.effectiveDate.localeCompare(b.effectiveDate) || a.recordedAt.localeCompare(b.recordedAt));
          return past.at(-1)?.action === 'give';
        };
        const expected = (!d.needsGuardian || sideOk('guardian')) && (!d.needsStudent || sideOk('student'));
        expect(d.allowed).toBe(expected);
      }),
    );
  });
  it('adding a withdrawal dated on or before the date, recorded last, never turns "not allowed" into "allowed"', () => {
    fc.assert(
      fc.property(day, day, fc.array(event, { maxLength: 6 }), fc.constantFrom('guardian' as const, 'student' as const), (dob, date, events, giver) => {
        fc.pre(dob <= date);
        const before = decide(dob, date, events).allowed;
        const after = decide(dob, date, [...events, { ...events[0], purpose: 'photo_publish', giver, action: 'withdraw', effectiveDate: date, recordedAt: '99999999' }]).allowed;
        if (!before) expect(after).toBe(false);
      }),
    );
  });
});
