import type { RuleObject } from 'antd/es/form';
import { describe, expect, it } from 'vitest';
import { ZCreateOrgUnit } from '../../../contracts/org';
import { ZCreateStudent, ZGuardian } from '../../../contracts/students';
import { contractRule } from './field-rules';

/** What the form shows under the field for a value: the rule's message, or null when it passes. */
async function shown(rule: ReturnType<typeof contractRule>, value: unknown): Promise<string | null> {
  const { validator } = rule as RuleObject;
  if (!validator) throw new Error('not a validator rule');
  try {
    await validator({} as RuleObject, value, () => undefined);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

describe('contractRule: a contract field checked in the form, in the words the API uses', () => {
  it("shows the field schema's own message", async () => {
    expect(await shown(contractRule(ZCreateStudent.shape.learnerId), '12345')).toBe('Mã định danh Bộ GD&ĐT phải gồm đúng 10 chữ số.');
    expect(await shown(contractRule(ZGuardian.shape.phone), '12345')).toBe('Số điện thoại phải có dạng 09xxxxxxxx.');
    expect(await shown(contractRule(ZCreateStudent.shape.fullName), 'A')).toBe('Họ tên quá ngắn — cần ít nhất 2 chữ cái.');
  });

  it('checks what the API checks: text is trimmed first', async () => {
    expect(await shown(contractRule(ZCreateStudent.shape.learnerId), ' 0123456789 ')).toBeNull();
    expect(await shown(contractRule(ZGuardian.shape.phone), '0912345678')).toBeNull();
  });

  it('gives a check without its own message the Vietnamese wording of contracts/zod-vi.ts', async () => {
    expect(await shown(contractRule(ZCreateOrgUnit.shape.code), 'A'.repeat(21))).toBe('Quá dài — tối đa 20 ký tự, hãy rút gọn.');
  });

  it("leaves a blank field to the item's required rule, unless asked to check it", async () => {
    for (const blank of [undefined, null, '', '   ']) {
      expect(await shown(contractRule(ZCreateStudent.shape.learnerId), blank)).toBeNull();
      expect(await shown(contractRule(ZCreateStudent.shape.fullName), blank)).toBeNull();
      expect(await shown(contractRule(ZCreateStudent.shape.fullName, { required: true }), blank)).toBe('Chưa nhập họ tên — hãy nhập đủ họ, đệm và tên.');
    }
  });
});
