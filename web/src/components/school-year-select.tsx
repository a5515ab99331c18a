import { Select } from 'antd';
import { useEffect } from 'react';
import { useSchoolYears } from '../api/hooks';
import { vi } from '../i18n/vi';
import { currentSchoolYear, yearLabel } from './format';

/** The year a school screen starts on: the current school year if the school has it, else its latest. */
export function useDefaultYear(schoolId: string | null): number | null {
  const years = useSchoolYears(schoolId);
  const list = (years.data ?? []).map((y) => y.year).sort((a, b) => b - a);
  if (!list.length) return years.isLoading ? null : currentSchoolYear();
  const cur = currentSchoolYear();
  return list.find((y) => y <= cur) ?? list[list.length - 1];
}

export function SchoolYearSelect({
  schoolId,
  value,
  onChange,
  className,
  style,
}: {
  schoolId: string;
  value: number | null;
  onChange: (y: number) => void;
  className?: string;
  style?: React.CSSProperties;
}) {
  const years = useSchoolYears(schoolId);
  const fallback = useDefaultYear(schoolId);
  useEffect(() => {
    if (value === null && fallback !== null) onChange(fallback);
  }, [value, fallback, onChange]);
  const options = (years.data ?? []).map((y) => ({ value: y.year, label: y.label || yearLabel(y.year) })).sort((a, b) => b.value - a.value);
  if (value !== null && !options.some((o) => o.value === value)) options.unshift({ value, label: yearLabel(value) });
  return (
    <Select
      aria-label={vi.common.schoolYear}
      className={className}
      style={style}
      loading={years.isLoading}
      value={value ?? undefined}
      placeholder={vi.common.schoolYear}
      options={options}
      onChange={onChange}
      prefix={<span style={{ color: '#667085' }}>{vi.common.schoolYear}:</span>}
    />
  );
}
