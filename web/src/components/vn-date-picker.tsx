import { DatePicker } from 'antd';
import type { DatePickerProps } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { vi } from '../i18n/vi';

const FORMATS = ['DD/MM/YYYY', 'D/M/YYYY', 'DDMMYYYY'];

type Props = Omit<DatePickerProps, 'value' | 'onChange' | 'format' | 'picker'> & {
  /** ISO yyyy-mm-dd */
  value?: string | null;
  onChange?: (iso: string | null) => void;
};

/** A DatePicker that speaks ISO strings to forms and shows dd/mm/yyyy to people (typing 03/02/2015 works). */
export function VnDatePicker({ value, onChange, ...rest }: Props) {
  return (
    <DatePicker
      {...rest}
      format={FORMATS}
      placeholder={rest.placeholder ?? vi.common.datePlaceholder}
      value={value ? dayjs(value) : null}
      onChange={(d: Dayjs | Dayjs[] | null) => {
        const one = Array.isArray(d) ? d[0] : d;
        onChange?.(one ? one.format('YYYY-MM-DD') : null);
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
