import { Alert, Tabs } from 'antd';
import type { ClassItem } from '../../api/types';
import { yearLabel } from '../../components/format';
import { PageHeader } from '../../components/page-header';
import { QueryError } from '../../components/query-error';
import { vi } from '../../i18n/vi';
import { setQuery, useRoute } from '../../router';
import { RequireSchool } from '../layout/require-school';
import { ClassFilters, useClassChoice } from '../results/class-choice';
import { DevelopmentPanel } from './development-panel';
import { IndicatorSetPanel } from './indicator-set-panel';
import { MeasurementsPanel } from './measurements-panel';
import './preschool.css';

const t = vi.preschool;

// Preschool classes (grade 0) the caller may see whole: the school's managers, offices and the class's teacher.
const preschoolClass = (c: ClassItem) => c.grade <= 0 && (c.access === 'full' || c.access === 'homeroom');

/** "Đánh giá sự phát triển của trẻ": a preschool class's evaluation per period and its measurements. */
export function PreschoolPage() {
  return <RequireSchool>{(schoolId) => <PreschoolView schoolId={schoolId} key={schoolId} />}</RequireSchool>;
}

function PreschoolView({ schoolId }: { schoolId: string }) {
  const { query } = useRoute();
  const choice = useClassChoice(schoolId, preschoolClass);
  const { cls, classes, own } = choice;
  const asked = query.get('tab');
  const tab = asked === 'can-do' || asked === 'bo-chi-so' ? asked : 'danh-gia';
  return (
    <>
      <PageHeader title={t.title} subtitle={cls ? t.subtitle(cls.name, yearLabel(cls.year)) : undefined} />
      <ClassFilters schoolId={schoolId} choice={choice} />
      {classes.isError ? <QueryError error={classes.error} onRetry={() => classes.refetch()} /> : null}
      {classes.data && own.length === 0 ? <Alert type="info" showIcon title={t.noClass} data-testid="preschool-no-class" /> : null}
      {cls ? (
        <Tabs
          activeKey={tab}
          onChange={(k) => setQuery({ tab: k === 'danh-gia' ? undefined : k })}
          items={[
            { key: 'danh-gia', label: t.tabEvaluation, children: <DevelopmentPanel schoolId={schoolId} classId={cls.id} key={cls.id} /> },
            { key: 'can-do', label: t.tabMeasurements, children: <MeasurementsPanel schoolId={schoolId} classId={cls.id} key={cls.id} /> },
            { key: 'bo-chi-so', label: t.tabSet, children: <IndicatorSetPanel schoolId={schoolId} /> },
          ]}
        />
      ) : null}
    </>
  );
}
