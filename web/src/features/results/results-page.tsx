import { Alert, Segmented, Tabs } from 'antd';
import type { ClassItem } from '../../api/types';
import { fmtDateTime, yearLabel } from '../../components/format';
import { PageHeader } from '../../components/page-header';
import { useWide } from '../../components/responsive-list';
import { QueryError } from '../../components/query-error';
import { isoToday } from '../../../../domain/index';
import { vi } from '../../i18n/vi';
import { Link, setQuery, useRoute } from '../../router';
import { currentTerm } from '../gradebook/gradebook-page';
import { GRADEBOOK_ROLES } from '../../../../contracts/roles';
import { useSession } from '../auth/session';
import { RequireSchool } from '../layout/require-school';
import { ClassFilters, useClassChoice } from './class-choice';
import { ExemptionsPanel } from './exemptions';
import { CloseResultsButton } from './close-results';
import { HocBaBatchButton } from './hoc-ba-batch';
import { SignClassHocBaButton } from './sign-hoc-ba';
import { PrimaryAwardsPanel } from './primary-awards';
import { PublicationBar } from './publication-bar';
import { QualitiesPanel } from './qualities';
import { defaultCheckpoint } from './qualities-logic';
import { ResultLists } from './result-lists';
import { classLinks, useClassResults } from './results-api';
import { isPeriod, PERIODS, termOfPeriod } from './results-logic';
import { ResultsTable } from './results-table';
import { SummerPanel } from './summer';
import { TrainingRatings } from './training-ratings';
import './results.css';

const t = vi.results;

// The server shows a class's results to its homeroom teacher and the school's managers.
const seesResults = (c: ClassItem) => c.access === 'full' || c.access === 'homeroom';

/** "Kết quả học tập và rèn luyện" of a class: the table, the training ratings, the lists; the principal's close. */
export function ResultsPage() {
  return <RequireSchool>{(schoolId) => <ResultsView schoolId={schoolId} key={schoolId} />}</RequireSchool>;
}

function ResultsView({ schoolId }: { schoolId: string }) {
  const { query } = useRoute();
  const choice = useClassChoice(schoolId, seesResults);
  const { cls, year, classes, own } = choice;
  const ky = query.get('ky');
  const term = currentTerm(cls?.year ?? year ?? new Date().getFullYear());
  const period = isPeriod(ky) ? ky : term === 1 ? 'hk1' : 'hk2';
  const tab = query.get('tab') ?? 'table';
  const results = useClassResults(schoolId, cls?.id ?? null, period);
  const data = results.data;
  const links = cls ? classLinks(cls.year, cls.id) : null;
  // Four tabs do not fit a phone at the default size: smaller and closer there, so none moves into
  // antd's overflow menu (a button inside the tablist, which axe refuses).
  const wide = useWide('sm');
  const inSchool = useSession().has(GRADEBOOK_ROLES);

  return (
    <>
      <PageHeader
        // TT27 (primary) has no training result: the page is the class's "kết quả giáo dục" there
        // (known from the class's grade before its results arrive, so the heading does not change under the reader).
        title={(data ? data.ruleSet === 'tt27_2020' : !!cls && cls.grade >= 1 && cls.grade <= 5) ? t.titlePrimary : t.title}
        subtitle={cls ? t.subtitle(cls.name, yearLabel(cls.year)) : undefined}
        extra={
          // The offices read results only: the class's gradebook and attendance are the school's.
          links && inSchool ? (
            <>
              <Link to={links.gradebook}>{t.toGradebook}</Link>
              <Link to={links.attendance}>{t.toAttendance}</Link>
            </>
          ) : null
        }
      />
      <ClassFilters schoolId={schoolId} choice={choice}>
        <Segmented
          aria-label={t.periodSwitch}
          value={period}
          options={PERIODS.map((p) => ({ value: p, label: t.periods[p] }))}
          onChange={(v) => setQuery({ ky: v })}
          data-testid="results-period"
        />
      </ClassFilters>
      {classes.isError ? <QueryError error={classes.error} onRetry={() => classes.refetch()} /> : null}
      {classes.data && own.length === 0 ? <Alert type="info" showIcon title={t.noClass} data-testid="results-no-class" /> : null}
      {results.isError ? <QueryError error={results.error} onRetry={() => results.refetch()} /> : null}
      {data && cls ? (
        <>
          <div className="rs-status">
            {data.computedAt ? (
              <span className="rs-computed" data-testid="results-computed">
                {t.computedAt(fmtDateTime(data.computedAt))}
              </span>
            ) : (
              <Alert type="info" showIcon title={t.notComputed(t.periodOf[period], data.ruleSet === 'tt27_2020')} data-testid="results-not-computed" />
            )}
            {data.canClose ? <CloseResultsButton schoolId={schoolId} year={data.year} period={period} /> : null}
            {period === 'cn' && data.computedAt && data.canPrintHocBa ? <HocBaBatchButton key={cls.id} schoolId={schoolId} classId={cls.id} className={cls.name} /> : null}
            {period === 'cn' && data.computedAt && data.canClose ? <SignClassHocBaButton key={`sign-${cls.id}`} schoolId={schoolId} classId={cls.id} className={cls.name} /> : null}
          </div>
          <PublicationBar schoolId={schoolId} data={data} />
          <Tabs
            size={wide ? 'middle' : 'small'}
            tabBarGutter={wide ? undefined : 10}
            activeKey={tab}
            onChange={(k) => setQuery({ tab: k === 'table' ? undefined : k })}
            items={[
              { key: 'table', label: t.tabs.table, children: <ResultsTable schoolId={schoolId} data={data} loading={results.isFetching} /> },
              // Primary classes have no training result (rèn luyện): their qualities are rated per checkpoint.
              ...(data.ruleSet === 'tt27_2020'
                ? [
                    {
                      key: 'qualities',
                      label: wide ? vi.qualities.tab : vi.qualities.tabShort,
                      children: <QualitiesPanel key={`${cls.id}/${period}`} schoolId={schoolId} classId={cls.id} initialCheckpoint={defaultCheckpoint(period, isoToday())} />,
                    },
                  ]
                : [
                    {
                      key: 'training',
                      label: t.tabs.training,
                      children: <TrainingRatings key={`${cls.id}/${period}`} schoolId={schoolId} classId={cls.id} initialTerm={termOfPeriod(period, term)} pickTerm={period === 'cn'} />,
                    },
                  ]),
              {
                key: 'lists',
                label: t.tabs.lists,
                children: (
                  <>
                    <ResultLists data={data} />
                    {/* Primary: Học sinh Tiêu biểu and ad-hoc awards, proposed and recorded (TT27 Điều 13), under the year's award lists. */}
                    {period === 'cn' && data.ruleSet === 'tt27_2020' ? (
                      <section className="rs-summer-section" aria-labelledby="rs-awards-title">
                        <h2 id="rs-awards-title">{vi.awards.title}</h2>
                        <PrimaryAwardsPanel key={cls.id} schoolId={schoolId} classId={cls.id} />
                      </section>
                    ) : null}
                    {/* The summer follows the year's lists of kiểm tra lại and rèn luyện trong hè, under them (TT22 classes: primary has no re-test). */}
                    {period === 'cn' && data.ruleSet !== 'tt27_2020' ? (
                      <section className="rs-summer-section" aria-labelledby="rs-summer-title">
                        <h2 id="rs-summer-title">{vi.summer.tabSummer}</h2>
                        <SummerPanel key={cls.id} schoolId={schoolId} classId={cls.id} />
                      </section>
                    ) : null}
                  </>
                ),
              },
              { key: 'exemptions', label: vi.summer.tabExemptions, children: <ExemptionsPanel key={cls.id} schoolId={schoolId} classId={cls.id} /> },
            ]}
          />
        </>
      ) : null}
    </>
  );
}
