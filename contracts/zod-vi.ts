/**
 * Vietnamese wording for every zod check that has no message of its own, so no English default
 * ("Too big", "Expected string, received number") ever reaches a user. A message written on a
 * schema still wins (zod v4: per-check error > global customError). The messages do not name the
 * field: the API error formatter puts the field's Vietnamese label in front (field-labels.ts).
 *
 * Imported for its effect by contracts/common.ts, so every process that loads a contract has it.
 */
import { z } from 'zod';

const TYPE_NAMES: Record<string, string> = {
  string: 'chữ (văn bản)',
  number: 'một số',
  int: 'một số nguyên',
  boolean: 'Có hoặc Không',
  array: 'một danh sách',
  object: 'một nhóm thông tin',
  date: 'một ngày',
};

// Thousands dots only from five digits: a year (2020) or a length (1000) reads better bare.
const fmt = (n: number | bigint) => (typeof n === 'number' && Math.abs(n) >= 10_000 ? n.toLocaleString('vi-VN') : String(n));

/** The Vietnamese message for one zod issue. */
function vietnameseIssueMessage(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined || issue.input === null) return 'Chưa nhập — hãy điền giá trị.';
      return `Phải là ${TYPE_NAMES[issue.expected] ?? 'một giá trị hợp lệ'} — hãy nhập lại.`;
    case 'too_small': {
      const min = issue.minimum;
      if (issue.origin === 'string') return Number(min) <= 1 ? 'Chưa nhập — hãy điền giá trị.' : `Quá ngắn — cần ít nhất ${fmt(min)} ký tự.`;
      if (issue.origin === 'array' || issue.origin === 'set') return `Cần ít nhất ${fmt(min)} mục.`;
      return issue.inclusive === false ? `Phải lớn hơn ${fmt(min)}.` : `Không được nhỏ hơn ${fmt(min)}.`;
    }
    case 'too_big': {
      const max = issue.maximum;
      if (issue.origin === 'string') return `Quá dài — tối đa ${fmt(max)} ký tự, hãy rút gọn.`;
      if (issue.origin === 'array' || issue.origin === 'set') return `Quá nhiều — tối đa ${fmt(max)} mục.`;
      return issue.inclusive === false ? `Phải nhỏ hơn ${fmt(max)}.` : `Không được lớn hơn ${fmt(max)}.`;
    }
    case 'invalid_format':
      if (issue.format === 'email') return 'Email không hợp lệ — ví dụ ten@truong.edu.vn.';
      return 'Sai định dạng — hãy kiểm tra lại.';
    case 'not_multiple_of':
      return `Phải là bội số của ${fmt(issue.divisor)}.`;
    case 'invalid_value':
      return 'Giá trị không có trong danh sách — hãy chọn một mục có sẵn.';
    case 'unrecognized_keys':
      return 'Có thông tin không được phép gửi kèm — hãy bỏ đi.';
    default:
      return 'Giá trị không hợp lệ — hãy kiểm tra lại.';
  }
}

z.config({ customError: (issue) => vietnameseIssueMessage(issue) });
