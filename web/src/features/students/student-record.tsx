import { Card, Col, Row, Typography } from 'antd';
import { lazy, type ReactNode, Suspense } from 'react';
import type { StudentEvent, StudentProfile } from '../../api/types';
import { fmtDate, yearLabel } from '../../components/format';
import { SimpleList } from '../../components/simple-list';
import { vi } from '../../i18n/vi';
import { ConsentCard } from '../privacy/consent-card';
import { LegacyResultsCard } from './legacy-results-card';
import { FIELD_LABELS as L } from '../../../../contracts/field-labels';

// The record's cards of a student's profile (student-profile-page.tsx), loaded on their own: the
// family portal draws them on its "Hồ sơ" tab only, so its first screen (results) does not
// download them (the parent area's 300 KB: e2e/speed/page-weight.e2e.ts).
const AccessLogCard = lazy(async () => ({ default: (await import('../privacy/access-log-card')).AccessLogCard }));

const t = vi.profile;
const s = vi.students;

const EVENT_COLORS: Record<string, string> = {
  admitted: 'green',
  transfer_in: 'green',
  class_transfer: 'blue',
  transfer_out: 'red',
  status_change: 'orange',
  promoted: 'blue',
  imported: 'gray',
};

function eventText(e: StudentEvent, statusName: (code: string) => string): string {
  const parts: string[] = [];
  if (e.fromClassName && e.toClassName) parts.push(t.fromTo(e.fromClassName, e.toClassName));
  else if (e.toClassName) parts.push(t.toClassName(e.toClassName));
  if (e.statusCode && e.kind === 'status_change') parts.push(statusName(e.statusCode));
  if (e.otherSchoolName) parts.push(e.kind === 'transfer_out' ? t.toSchool(e.otherSchoolName) : e.kind === 'transfer_in' ? t.fromSchool(e.otherSchoolName) : t.otherSchool(e.otherSchoolName));
  if (e.note) parts.push(e.note);
  return parts.join(' · ');
}

/** The record: personal facts, guardians, earlier results, enrolments, consents, events (and, for the school's privacy officer, who viewed it). */
export function StudentRecord({
  schoolId,
  studentId,
  p,
  statusName,
  privacyOfficer,
}: {
  schoolId: string;
  studentId: string;
  p: StudentProfile;
  statusName: (code: string) => string;
  privacyOfficer: boolean;
}) {
  return (
  <Row gutter={[12, 12]}>
    <Col xs={24} xl={14}>
      <Card title={t.info} size="small" style={{ marginBottom: 12 }}>
        <Facts
          items={[
            { key: 'lid', label: s.learnerId, children: <span className="num nowrap">{p.learnerId ?? vi.common.none}</span> },
            ...(p.tempCode ? [{ key: 'tmp', label: s.tempCode, children: p.tempCode }] : []),
            { key: 'cid', label: s.citizenId, children: <span className="num nowrap">{p.citizenId ?? vi.common.none}</span> },
            { key: 'sdb', label: L.registerNumber, children: <span className="num nowrap">{p.registerNumber ?? vi.common.none}</span> },
            { key: 'name', label: s.fullName, children: p.fullName },
            { key: 'dob', label: s.dateOfBirth, children: fmtDate(p.dateOfBirth) },
            { key: 'sex', label: s.sex, children: vi.common.sex[p.sex] ?? p.sex },
            { key: 'eth', label: s.ethnicity, children: p.ethnicityName ?? p.ethnicityCode },
            { key: 'rel', label: s.religion, children: p.religionCode ?? vi.common.none },
            { key: 'bp', label: s.birthplace, children: p.birthplace ?? vi.common.none },
            { key: 'addr', label: s.address, children: p.address ?? vi.common.none },
            { key: 'cls', label: s.class, children: p.className ?? vi.common.none },
            { key: 'sch', label: s.school, children: p.schoolName },
            { key: 'st', label: s.status, children: `${p.statusName ?? statusName(p.statusCode)} (${s.statusDate.toLowerCase()} ${fmtDate(p.statusDate)})` },
          ]}
        />
      </Card>
      <Card title={s.guardians} size="small" style={{ marginBottom: 12 }}>
        {p.guardians.length === 0 ? (
          <Typography.Text type="secondary">{t.noGuardians}</Typography.Text>
        ) : (
          <SimpleList
            items={p.guardians}
            itemKey={(g) => g.id}
            render={(g) => (
              <>
                <div className="list-title">{`${g.fullName} (${vi.relations[g.relation] ?? g.relation})`}</div>
                <div className="list-desc">
                  {[
                    g.phone ? <a key="p" href={`tel:${g.phone}`}>{g.phone}</a> : null,
                    g.email ? <a key="e" href={`mailto:${g.email}`}>{g.email}</a> : null,
                    g.occupation ? <span key="o">{g.occupation}</span> : null,
                    g.birthYear ? <span key="b">{`${s.birthYear} ${g.birthYear}`}</span> : null,
                  ]
                    .filter(Boolean)
                    .flatMap((x, i) => (i ? [<span key={`s${i}`}> · </span>, x] : [x]))}
                </div>
              </>
            )}
          />
        )}
      </Card>
      <LegacyResultsCard schoolId={schoolId} studentId={studentId} />
      <Card title={t.enrolments} size="small" style={{ marginBottom: 12 }}>
        {p.enrolments.length === 0 ? (
          <Typography.Text type="secondary">{vi.common.none}</Typography.Text>
        ) : (
          <ul className="plain-rows" data-testid="profile-enrolments">
            {p.enrolments.map((r) => (
              <li key={`${r.year}-${r.className}-${r.startDate}`}>
                <span className="card-title">{`${t.year} ${yearLabel(r.year)} · ${s.class} ${r.className}`}</span>
                <span className="card-meta">
                  <span>{r.schoolName}</span>
                  <span className="num">{r.endDate ? `${fmtDate(r.startDate)} – ${fmtDate(r.endDate)}` : `${t.start} ${fmtDate(r.startDate)}`}</span>
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </Col>
    <Col xs={24} xl={10}>
      <ConsentCard schoolId={schoolId} student={p} />
      <Card title={t.events} size="small">
        {p.history.length === 0 ? (
          <Typography.Text type="secondary">{t.noEvents}</Typography.Text>
        ) : (
          <ol className="event-list" data-testid="profile-events">
            {[...p.history]
              // Newest first; same-day events keep their recorded order (out before in), then reversed.
              .sort((a, b) => a.eventDate.localeCompare(b.eventDate))
              .reverse()
              .map((e) => (
                <li key={e.id} className={`event-${EVENT_COLORS[e.kind] ?? 'blue'}`}>
                  <div className="num event-date">{fmtDate(e.eventDate)}</div>
                  <strong>{t.eventKinds[e.kind] ?? e.kind}</strong>
                  {e.schoolName ? <span className="event-school"> — {e.schoolName}</span> : null}
                  {eventText(e, statusName) ? <div className="event-text">{eventText(e, statusName)}</div> : null}
                </li>
              ))}
          </ol>
        )}
      </Card>
      {privacyOfficer ? (
        <Suspense fallback={null}>
          <AccessLogCard schoolId={schoolId} studentId={studentId} />
        </Suspense>
      ) : null}
    </Col>
  </Row>
  );
}

/** Label–value pairs of a record, one column on phones and two from 576 px (what antd Descriptions drew, without its weight). */
function Facts({ items }: { items: { key: string; label: string; children: ReactNode }[] }) {
  return (
    <dl className="facts">
      {items.map((i) => (
        <div key={i.key} className="fact">
          <dt>{i.label}</dt>
          <dd>{i.children}</dd>
        </div>
      ))}
    </dl>
  );
}
