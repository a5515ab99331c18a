import { DatePicker } from 'antd';
import type { DatePickerProps } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { parseVnDate } from '../../../domain/index';
import { vi } from '../i18n/vi';

const FORMATS = ['DD/MM/YYYY', 'D/M/YYYY', 'DDMMYYYY'];

type Props = Omit<DatePickerProps, 'value' | 'onChange' | 'format' | 'picker'> & {
  /** ISO yyyy-mm-dd */
  value?: string | null;
  /** An ISO date, null when cleared, or (with keepTypedText) the typed text that is not a date. */
  onChange?: (iso: string | null) => void;
  /**
   * For form fields with a date rule: a typed date that does not exist stays in the field and
   * reaches the form as text, for the rule to explain. Off elsewhere (filters, "as of" pickers),
   * where the picker's own undo is what people expect.
   */
  keepTypedText?: boolean;
};

const ISO_RE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * What a typed text means: an ISO date, or the text itself when it is not a date (31/02/2015),
 * so that the form's rule can say why in place. "31022015" is read like 31/02/2015.
 */
export function typedDate(text: string): string {
  const t = text.trim();
  const parsed = parseVnDate(/^\d{8}$/.test(t) ? `${t.slice(0, 2)}/${t.slice(2, 4)}/${t.slice(4)}` : t);
  return parsed.ok ? parsed.value : t;
}

/**
 * A DatePicker that speaks ISO strings to forms and shows dd/mm/yyyy to people (typing 03/02/2015
 * works). A typed date that does not exist (31/02/2015) is not erased on leaving the field: the
 * text stays, and the form value becomes that text (not an ISO date), so the field's rule shows
 * "Ngày 31/02/2015 không có thật …" under it instead of an empty "required".
 */
export function VnDatePicker({ value, onChange, onBlur, keepTypedText = false, ...rest }: Props) {
  // While the form holds typed text, the picker keeps its last real date: a change to null would
  // make it clear the input.
  const [shown, setShown] = useState<string | null>(value && ISO_RE.test(value) ? value : null);
  const [seen, setSeen] = useState(value);
  if (value !== seen) {
    setSeen(value);
    if (!value) setShown(null);
    else if (ISO_RE.test(value)) setShown(value);
  }
  return (
    <DatePicker
      {...rest}
      format={FORMATS}
      placeholder={rest.placeholder ?? vi.common.datePlaceholder}
      preserveInvalidOnBlur={keepTypedText}
      value={shown ? dayjs(shown) : null}
      onChange={(d: Dayjs | Dayjs[] | null) => {
        const one = Array.isArray(d) ? d[0] : d;
        onChange?.(one ? one.format('YYYY-MM-DD') : null);
      }}
      onBlur={(e, info) => {
        onBlur?.(e, info);
        if (!keepTypedText) return;
        const text = (e.target as HTMLInputElement | null)?.value ?? '';
        if (text.trim() === '') return; // clearing is the picker's own change
        const typed = typedDate(text);
        if (typed !== value) onChange?.(typed);
      }}
    />
  );
}

type RangeProps = {
  value?: [string | null, string | null] | null;
  onChange?: (v: [string | null, string | null] | null) => void;
  style?: React.CSSProperties;
};

export function VnRangePicker({ value, onChange, style }: RangeProps) {
  return (
    <DatePicker.RangePicker
      style={style}
      format={FORMATS}
      placeholder={[vi.common.from, vi.common.to]}
      allowEmpty={[true, true]}
      value={value ? [value[0] ? dayjs(value[0]) : null, value[1] ? dayjs(value[1]) : null] : null}
      onChange={(v) =>
        onChange?.(v ? [v[0] ? v[0].format('YYYY-MM-DD') : null, v[1] ? v[1].format('YYYY-MM-DD') : null] : null)
      }
    />
  );
}
