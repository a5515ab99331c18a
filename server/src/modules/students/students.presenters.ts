import type { TStudentListItem, TStudentProfile } from '../../../../contracts/students.js';
import { joinFullName } from '../../../../domain/index.js';
import type { StudentListRow } from './students-list.repo.js';
import type { studentProfileRow } from './students-profile.repo.js';

// Rows as the API answers them: a list item and a profile (the profile also answers every write).

export function fullNameOf(r: { family_name: string; middle_name: string; given_name: string }): string {
  return joinFullName({ familyName: r.family_name, middleName: r.middle_name, givenName: r.given_name });
}

export function presentListItem(r: StudentListRow): TStudentListItem {
  return {
    id: r.id,
    schoolId: r.school_id,
    learnerId: r.learner_id,
    tempCode: r.temp_code,
    familyName: r.family_name,
    middleName: r.middle_name,
    givenName: r.given_name,
    fullName: fullNameOf(r),
    dateOfBirth: r.date_of_birth,
    sex: r.sex,
    ethnicityCode: r.ethnicity_code,
    ethnicityName: r.ethnicity_name,
    statusCode: r.status_code,
    statusName: r.status_name,
    classId: r.class_id,
    className: r.class_name,
    grade: r.grade,
  };
}

/** The profile of one row, with the learner's history across every school (names only for other schools). */
export type ProfileRow = NonNullable<Awaited<ReturnType<typeof studentProfileRow>>>;

export function presentProfile(s: ProfileRow): TStudentProfile {
  return {
    id: s.id,
    schoolId: s.school_id,
    learnerId: s.learner_id,
    tempCode: s.temp_code,
    familyName: s.family_name,
    middleName: s.middle_name,
    givenName: s.given_name,
    fullName: fullNameOf(s),
    dateOfBirth: s.date_of_birth,
    sex: s.sex,
    ethnicityCode: s.ethnicity_code,
    ethnicityName: s.ethnicity_name,
    statusCode: s.status_code,
    statusName: s.status_name,
    classId: s.current_class_id,
    className: s.class_name,
    grade: s.grade,
    personId: s.person_id,
    citizenId: s.citizen_id,
    registerNumber: s.register_number,
    religionCode: s.religion_code,
    birthplace: s.birthplace,
    address: s.address,
    statusDate: s.status_date,
    isCurrent: s.is_current,
    schoolName: s.school_name ?? '',
    guardians: s.guardians.map((g) => ({
      id: g.id,
      relation: g.relation,
      fullName: g.full_name,
      phone: g.phone,
      email: g.email,
      occupation: g.occupation,
      birthYear: g.birth_year,
    })),
    enrolments: s.enrolments.map((e) => ({
      year: e.year,
      className: e.class_name,
      startDate: e.start_date,
      endDate: e.end_date,
      schoolName: e.school_name ?? '',
    })),
    // Other schools' events show what happened and where, never their notes.
    history: s.events.map((ev) => ({
      id: ev.id,
      schoolId: ev.school_id,
      schoolName: ev.school_name,
      kind: ev.kind,
      eventDate: ev.event_date,
      statusCode: ev.status_code,
      fromClassName: ev.from_class_name,
      toClassName: ev.to_class_name,
      otherSchoolName: ev.other_school_name,
      note: ev.school_id === s.school_id ? ev.note : null,
    })),
    pendingTransfer: s.pending
      ? {
          id: s.pending.id,
          kind: s.pending.kind,
          toSchoolName: s.pending.to_school_name ?? '',
          effectiveDate: s.pending.effective_date,
          // Inside JSON the timestamp arrives as PostgreSQL's text; the API speaks ISO 8601.
          createdAt: new Date(s.pending.created_at).toISOString(),
        }
      : null,
  };
}
