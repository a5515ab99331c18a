import { Select } from 'antd';
import { useCallback, useMemo, useState } from 'react';
import { useClasses } from '../../api/hooks';
import type { ClassItem } from '../../api/types';
import { SchoolYearSelect } from '../../components/school-year-select';
import { foldSearch } from '../../components/select-search';
import { vi } from '../../i18n/vi';
import { setQuery, useRoute } from '../../router';

const collator = new Intl.Collator('vi', { numeric: true });
const g = vi.gradebook;

/**
 * The year and class of a class screen, kept in the URL (`?nam=…&lop=…`, as "Sổ điểm" does, so a
 * link from the gradebook lands on the same class): the classes `accept` lets through, the first
 * one when none is named.
 */
export function useClassChoice(schoolId: string, accept: (c: ClassItem) => boolean) {
  const { query } = useRoute();
  const [year, setYearState] = useState<number | null>(() => Number(query.get('nam')) || null);
  const setYear = useCallback(
    (y: number) => {
      setYearState(y);
      if (year !== null && y !== year) setQuery({ nam: y, lop: undefined });
    },
    [year],
  );
  const classes = useClasses(schoolId, year);
  const own = useMemo(
    () => (classes.data ?? []).filter(accept).sort((a, b) => a.grade - b.grade || collator.compare(a.name, b.name)),
    // `accept` is a module-level rule of each page: stable.
    [classes.data, accept],
  );
  const named = query.get('lop');
  const cls = own.find((c) => c.id === named) ?? own[0] ?? null;
  return { year, setYear, classes, own, cls };
}

export function ClassFilters({
  schoolId,
  choice,
  children,
}: {
  schoolId: string;
  choice: ReturnType<typeof useClassChoice>;
  children?: React.ReactNode;
}) {
  const { year, setYear, classes, own, cls } = choice;
  const mine = (c: ClassItem) => (c.access === 'homeroom' ? g.mineHomeroom : c.access === 'teaching' ? g.mineTeaching : null);
  return (
    <div className="filters">
      <SchoolYearSelect schoolId={schoolId} value={year} onChange={setYear} className="f-200" />
      <Select
        className="f-280"
        aria-label={g.pickClass}
        placeholder={g.pickClass}
        loading={classes.isLoading}
        showSearch={foldSearch}
        value={cls?.id}
        options={own.map((c) => ({ value: c.id, label: g.classOption(c.name, mine(c)) }))}
        onChange={(id: string) => setQuery({ lop: id })}
        data-testid="class-choice"
      />
      {children}
    </div>
  );
}
