import { describe, expect, it } from 'vitest';
import { cachesToDrop, classify, dataCacheName, mayKeep, oldShellCaches, parsePush, safeLink, type SwState, STATE_CACHE, stampText, stateFromMe } from './sw-rules';

const O = 'https://truongso.example';
const get = (path: string, mode = 'cors') => classify({ method: 'GET', url: `${O}${path}`, mode }, O);
const grant = (role: string) => ({ role, orgUnitId: 'sch-1', orgUnitName: 'THCS', orgUnitKind: 'school', schoolLevels: [] });
const me = (roles: string[], children: { schoolId: string; studentId: string }[] = []) => ({ userId: 'u-1', grants: roles.map(grant), children });

describe('what the service worker keeps, and for whom', () => {
  const parent = stateFromMe({ signedIn: true, me: me(['parent'], [{ schoolId: 'sch-1', studentId: 'st-1' }]) });

  it('reads who is signed in from /auth/session, /auth/me and /auth/login: a family account only when it holds no staff role', () => {
    expect(parent).toEqual({ userId: 'u-1', family: true, records: ['sch-1/st-1'] });
    expect(stateFromMe(me(['student'], [{ schoolId: 'sch-1', studentId: 'st-1' }]))).toEqual({ userId: 'u-1', family: true, records: ['sch-1/st-1'] });
    // A teacher who is also a parent is staff: the worker keeps nothing of theirs.
    expect(stateFromMe(me(['homeroom_teacher', 'parent'], [{ schoolId: 'sch-1', studentId: 'st-1' }]))).toEqual({ userId: 'u-1', family: false, records: [] });
    expect(stateFromMe(me(['principal']))?.family).toBe(false);
    expect(stateFromMe({ signedIn: false, me: null })).toBeNull();
    expect(stateFromMe(null)).toBeNull();
    expect(stateFromMe('<html>')).toBeNull();
  });

  it('sorts requests: pages, the shell, hashed files, who is signed in, a family’s reads; the rest passes untouched', () => {
    expect(get('/con-cua-toi/sch-1/st-1', 'navigate')).toBe('navigate');
    expect(get('/assets/index-abc123.js')).toBe('asset');
    expect(get('/manifest.webmanifest')).toBe('shell');
    expect(get('/icons/icon-192.png')).toBe('shell');
    expect(get('/api/v1/auth/session')).toBe('session');
    expect(get('/api/v1/schools/sch-1/students/st-1/results?year=2025')).toBe('family-data');
    expect(get('/api/v1/schools/sch-1/students/st-1')).toBe('family-data');
    expect(get('/api/v1/reference/code-lists/DM_TRANG_THAI_HOC_SINH')).toBe('family-data');
    // Staff reads, exports and writes are never kept.
    expect(get('/api/v1/schools/sch-1/classes')).toBe('pass');
    expect(get('/api/v1/schools/sch-1/students')).toBe('pass');
    expect(get('/api/v1/schools/sch-1/students/st-1/personal-data')).toBe('pass');
    expect(get('/api/v1/schools/sch-1/students/st-1/personal-data.pdf')).toBe('pass');
    expect(get('/api/v1/schools/sch-1/classes/c-1/gradebook/toan')).toBe('pass');
    expect(classify({ method: 'PUT', url: `${O}/api/v1/schools/sch-1/students/st-1`, mode: 'cors' }, O)).toBe('pass');
    expect(classify({ method: 'POST', url: `${O}/api/v1/auth/logout` }, O)).toBe('logout');
    expect(classify({ method: 'POST', url: `${O}/api/v1/auth/login` }, O)).toBe('login');
    expect(classify({ method: 'GET', url: 'https://other.example/api/v1/schools/sch-1/students/st-1' }, O)).toBe('pass');
  });

  it('keeps a family read only for a family account and only of a record it lists; never for staff, never another child', () => {
    const results = `${O}/api/v1/schools/sch-1/students/st-1/results`;
    expect(mayKeep(results, O, parent)).toBe(true);
    expect(mayKeep(`${O}/api/v1/schools/sch-1/students/st-1`, O, parent)).toBe(true);
    expect(mayKeep(`${O}/api/v1/schools/sch-1/students/st-2/results`, O, parent)).toBe(false);
    expect(mayKeep(`${O}/api/v1/schools/sch-2/students/st-1/results`, O, parent)).toBe(false);
    expect(mayKeep(`${O}/api/v1/schools/sch-1/students/st-1/personal-data`, O, parent)).toBe(false);
    expect(mayKeep(`${O}/api/v1/schools/sch-1/classes`, O, parent)).toBe(false);
    const teacher: SwState = { userId: 'u-2', family: false, records: ['sch-1/st-1'] };
    expect(mayKeep(results, O, teacher)).toBe(false);
    expect(mayKeep(`${O}/api/v1/reference/code-lists/DM_DAN_TOC`, O, teacher)).toBe(false);
    expect(mayKeep(results, O, null)).toBe(false);
    // The contact book's reads of the child: announcements (the list and one), messages, leave requests; never another child's, never a file.
    for (const tail of ['announcements', 'announcements/a-1', 'messages', 'leave-requests', 'attendance']) {
      expect(get(`/api/v1/schools/sch-1/students/st-1/${tail}`)).toBe('family-data');
      expect(mayKeep(`${O}/api/v1/schools/sch-1/students/st-1/${tail}`, O, parent)).toBe(true);
      expect(mayKeep(`${O}/api/v1/schools/sch-1/students/st-9/${tail}`, O, parent)).toBe(false);
    }
    expect(get('/api/v1/schools/sch-1/students/st-1/announcements/a-1/attachments/f-1')).toBe('pass');
    expect(mayKeep(`${O}/api/v1/schools/sch-1/students/st-1/personal-data/x`, O, parent)).toBe(false);
  });

  it('drops every other account’s kept data when someone signs in, and all of it at sign-out', () => {
    const names = ['ts-shell-abc', STATE_CACHE, dataCacheName('u-1'), dataCacheName('u-9'), 'other-app'];
    expect(cachesToDrop(names, parent)).toEqual([dataCacheName('u-9')]);
    expect(cachesToDrop(names, null)).toEqual([dataCacheName('u-1'), dataCacheName('u-9')]);
    // Staff signs in on the parent's phone: the parent's data goes too (nothing is kept for staff).
    expect(cachesToDrop(names, { userId: 'u-9', family: false, records: [] })).toEqual([dataCacheName('u-1'), dataCacheName('u-9')]);
    expect(oldShellCaches(names, 'ts-shell-def')).toEqual(['ts-shell-abc']);
  });

  it('shows a push message’s title and body, and opens its link only within the app', () => {
    expect(parsePush(JSON.stringify({ title: 'Thông báo mới', body: 'Họp phụ huynh 8/12', link: '/con-cua-toi/s/st/thong-bao' }))).toEqual({
      title: 'Thông báo mới',
      body: 'Họp phụ huynh 8/12',
      link: '/con-cua-toi/s/st/thong-bao',
    });
    expect(parsePush(JSON.stringify({ body: 'x', link: 'https://evil.example/' }))).toEqual({ title: 'Trường Số', body: 'x', link: '/' });
    expect(parsePush('không phải JSON')).toEqual({ title: 'Trường Số', body: 'không phải JSON', link: '/' });
    expect(parsePush(null)).toEqual({ title: 'Trường Số', body: '', link: '/' });
    // The notice's id as the tag: a push repeated after a crash replaces the first.
    expect(parsePush(JSON.stringify({ title: 'T', body: '', link: '/hop-thu', tag: 'notice-1' }))).toEqual({ title: 'T', body: '', link: '/hop-thu', tag: 'notice-1' });
    for (const bad of ['//evil.example', 'javascript:alert(1)', '/\\evil', 42, null]) expect(safeLink(bad)).toBe('/');
  });

  it('writes the time of kept data as HH:mm dd/mm/yyyy', () => {
    const utc = (d: Date) => ({ h: d.getUTCHours(), m: d.getUTCMinutes(), d: d.getUTCDate(), mo: d.getUTCMonth() + 1, y: d.getUTCFullYear() });
    expect(stampText('2026-12-07T04:05:00.000Z', utc)).toBe('04:05 07/12/2026');
    expect(stampText('không phải ngày')).toBeNull();
  });
});
