import { Select, Typography } from 'antd';
import type { OrgUnit } from '../../api/types';
import { foldSearch } from '../../components/select-search';
import { UnitSelect } from '../../components/unit-select';
import { vi } from '../../i18n/vi';
import { useSession } from '../auth/session';

const onlySchools = (u: OrgUnit) => u.kind === 'school';

/** Offices pick any school from the tree; school people with several schools pick among theirs. */
export function SchoolPicker({ block }: { block?: boolean }) {
  const s = useSession();
  const style = { width: block ? '100%' : 320, maxWidth: '100%' };
  if (s.isOffice) {
    return (
      <UnitSelect
        data-testid="school-picker"
        style={style}
        value={s.school?.id}
        placeholder={vi.nav.pickSchool}
        selectable={onlySchools}
        onChange={(id, unit) => s.setSchool({ id, name: unit?.name ?? '' })}
      />
    );
  }
  if (s.schoolOptions.length > 1) {
    return (
      <Select
        data-testid="school-picker"
        style={style}
        value={s.school?.id}
        placeholder={vi.nav.pickSchool}
        aria-label={vi.nav.pickSchool}
        showSearch={foldSearch}
        options={s.schoolOptions.map((o) => ({ value: o.id, label: o.name }))}
        onChange={(id: string) => s.setSchool(s.schoolOptions.find((o) => o.id === id) ?? null)}
      />
    );
  }
  if (s.school) {
    return (
      <Typography.Text strong ellipsis className="school-name">
        {s.school.name}
      </Typography.Text>
    );
  }
  return null;
}
