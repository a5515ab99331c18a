import { describe, expect, it } from 'vitest';
import { leaveCheck, leaveWarning, mayLeave } from './leave-check';

const snap = (unsent: number, kept = true) => ({ outbox: new Map(Array.from({ length: unsent }, (_, i) => [`s${i}/tx1`, {}])) as never, kept });

describe('leaving the grid', () => {
  it('leaves at once when every cell is saved and none is invalid', () => {
    expect(mayLeave(leaveCheck(snap(0), 0))).toBe(true);
    expect(mayLeave(leaveCheck(snap(1), 0))).toBe(false);
    expect(mayLeave(leaveCheck(snap(0), 1))).toBe(false);
  });

  it('says how many invalid cells would be lost, and that the stay is the safe way', () => {
    const w = leaveWarning(leaveCheck(snap(0), 2));
    expect(w.title).toBe('Còn 2 ô chưa lưu vào sổ điểm');
    expect(w.lines).toEqual(['2 ô nhập chưa đúng (tô đỏ) sẽ mất nếu rời trang: hãy sửa lại cho đúng.']);
    expect(w.leave).toBe('Vẫn rời trang, bỏ các ô này');
  });

  it('unsent cells the browser keeps are sent on the next visit; unkept ones are lost', () => {
    const kept = leaveWarning(leaveCheck(snap(3), 1));
    expect(kept.title).toBe('Còn 4 ô chưa lưu vào sổ điểm');
    expect(kept.lines[1]).toBe('3 ô chưa gửi được lên máy chủ: trình duyệt này giữ lại và sẽ gửi khi bạn mở lại sổ điểm này trên máy này.');
    expect(leaveWarning(leaveCheck(snap(3), 0)).leave).toBe('Vẫn rời trang');
    const lost = leaveWarning(leaveCheck(snap(3, false), 0));
    expect(lost.lines).toEqual(['3 ô chưa gửi được lên máy chủ và trình duyệt không lưu tạm được: sẽ mất nếu rời trang.']);
    expect(lost.leave).toBe('Vẫn rời trang, bỏ các ô này');
  });
});
