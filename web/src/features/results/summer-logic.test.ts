import { describe, expect, it } from 'vitest';
import type { Summer } from '../../api/types';
import { retestChanges, retestKey, trainingChanges } from './summer-logic';

const student = (over: Partial<Summer['students'][number]> = {}): Summer['students'][number] => ({
  studentId: 's1',
  fullName: 'Đặng Thị Bình',
  decision: 'Kiểm tra lại',
  training: null,
  retests: [{ subjectCode: 'toan', subjectName: 'Toán', assessment: 'score', yearResult: '2,0', value: '5,0', canEdit: true }],
  result: null,
  missing: null,
  ...over,
});

describe('what the summer panel saves', () => {
  it('sends a re-test mark only when it differs from the stored one ("5" is "5,0"); an emptied cell clears it', () => {
    const s = [student()];
    expect(retestChanges(s, new Map([[retestKey('s1', 'toan'), '5']]))).toEqual([]);
    expect(retestChanges(s, new Map([[retestKey('s1', 'toan'), '5.5']]))).toEqual([{ studentId: 's1', subjectCode: 'toan', value: '5.5' }]);
    expect(retestChanges(s, new Map([[retestKey('s1', 'toan'), ' ']]))).toEqual([{ studentId: 's1', subjectCode: 'toan', value: null }]);
  });
  it('a 10 typed over a stored 10 (written "10,0", like every mark) is not a change', () => {
    const s = [student({ retests: [{ subjectCode: 'toan', subjectName: 'Toán', assessment: 'score', yearResult: '2,0', value: '10,0', canEdit: true }] })];
    expect(retestChanges(s, new Map([[retestKey('s1', 'toan'), '10']]))).toEqual([]);
    expect(retestChanges(s, new Map([[retestKey('s1', 'toan'), '10,0']]))).toEqual([]);
  });
  it('never sends a cell the caller may not edit', () => {
    const s = [student({ retests: [{ subjectCode: 'toan', subjectName: 'Toán', assessment: 'score', yearResult: '2,0', value: null, canEdit: false }] })];
    expect(retestChanges(s, new Map([[retestKey('s1', 'toan'), '7']]))).toEqual([]);
  });
  it('sends a training re-rating only for a student in summer training, when changed', () => {
    const s = [student({ training: { yearLevel: 'Chưa đạt', level: null } }), student({ studentId: 's2' })];
    expect(trainingChanges(s, new Map([['s1', 'dat'], ['s2', 'tot']]))).toEqual([{ studentId: 's1', level: 'dat' }]);
    expect(trainingChanges(s, new Map([['s1', null]]))).toEqual([]);
  });
});
