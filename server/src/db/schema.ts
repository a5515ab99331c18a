import type { ColumnType, Generated, GeneratedAlways, Insertable, Selectable, Updateable } from 'kysely';

// Hand-kept table types. server/src/db/schema.test.ts reads them with the TypeScript type checker
// and compares them with the migrated database (information_schema.columns and check constraints),
// on PGlite and on PostgreSQL: every table and column in both directions; the type each column reads
// back as (text/uuid/date → string, integers → number, timestamptz → Date, jsonb → unknown, arrays
// element by element); nullability (`| null`); string-literal unions against the column's
// `in (…)` check; Generated<…> only where the database has a default; GeneratedAlways<…> for
// identity columns. A new migration fails that test until this file says the same.
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp the database fills in by default. */
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string, string>;

export type OrgUnitKind = 'ministry' | 'province_office' | 'district_office' | 'commune_office' | 'school' | 'school_site';
export type SchoolLevel = 'preschool' | 'primary' | 'lower_secondary' | 'upper_secondary';
export type Ownership = 'public' | 'private' | 'community';
export type AssessmentKind = 'score' | 'comment' | 'mixed';
/** The one role list is contracts/roles.ts (ROLES): the API, the web app and this table type share it. */
export type Role = import('../../../contracts/roles.js').Role;
export type Sex = 'male' | 'female';
export type ClassSession = 'morning' | 'afternoon' | 'full_day';
export type StaffPosition = 'principal' | 'vice_principal' | 'teacher' | 'staff';
export type StudentEventKind =
  | 'admitted'
  | 'class_transfer'
  | 'transfer_out'
  | 'transfer_in'
  | 'status_change'
  | 'promoted'
  | 'imported';
export type ImportKind = 'students' | 'staff' | 'classes';
export type ImportMode = 'all_or_nothing' | 'valid_only';
export type ImportStatus = 'queued' | 'validating' | 'writing' | 'done' | 'failed' | 'rejected';

export type CodeListItemTable = {
  list: string;
  code: string;
  name: string;
  parent_code: string | null;
  sort_order: Generated<number>;
};

export type SubjectTable = {
  code: string;
  name: string;
  moet_code: string | null;
  sort_order: Generated<number>;
};

export type CurriculumSubjectTable = {
  grade: number;
  subject_code: string;
  periods_per_year: number;
  assessment_kind: AssessmentKind;
  is_elective: Generated<boolean>;
};

export type OrgUnitTable = {
  id: string;
  kind: OrgUnitKind;
  code: string | null;
  created_at: DefaultTimestamp;
};

export type OrgUnitVersionTable = {
  unit_id: string;
  valid_from: string;
  valid_to: string | null;
  parent_id: string | null;
  name: string;
  school_levels: Generated<SchoolLevel[]>;
  ownership: Ownership | null;
  area: 'urban' | 'rural' | 'mountain' | 'island' | null;
  province_code: string | null;
  address: string | null;
  change_reason: string | null;
};

export type SchoolYearTable = {
  school_id: string;
  year: number;
  term1_start: string;
  term1_end: string;
  term2_start: string;
  term2_end: string;
};

export type SchoolSubjectTable = {
  school_id: string;
  year: number;
  grade: number;
  subject_code: string;
  periods_per_year: number;
  assessment_kind: AssessmentKind;
  is_taught: Generated<boolean>;
};

/** Format of the stored name_sort_key/search_text columns (domain NAME_KEY_VERSION); one row. */
export type NameKeyVersionTable = {
  id: Generated<boolean>;
  version: number;
};

export type StaffTable = {
  school_id: string;
  id: string;
  staff_code: string | null;
  family_name: string;
  middle_name: Generated<string>;
  given_name: string;
  name_sort_key: string;
  search_text: string;
  date_of_birth: string | null;
  sex: Sex | null;
  ethnicity_code: string | null;
  citizen_id: string | null;
  phone: string | null;
  email: string | null;
  position: Generated<StaffPosition>;
  qualification_code: string | null;
  contract_type_code: string | null;
  subject_codes: Generated<string[]>;
  status: Generated<'active' | 'left'>;
  /** The contact the school publishes in the staff directory ("liên hệ trong trường"); null = none. */
  school_contact: string | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
};

export type ClassTable = {
  school_id: string;
  id: string;
  year: number;
  name: string;
  grade: number;
  age_group: string | null;
  site_id: string | null;
  homeroom_teacher_id: string | null;
  session: Generated<ClassSession>;
  is_multi_grade: Generated<boolean>;
  created_at: DefaultTimestamp;
};

export type StudentTable = {
  school_id: string;
  id: string;
  person_id: string;
  learner_id: string | null;
  temp_code: string | null;
  citizen_id: string | null;
  family_name: string;
  middle_name: Generated<string>;
  given_name: string;
  name_sort_key: string;
  search_text: string;
  date_of_birth: string;
  sex: Sex;
  ethnicity_code: Generated<string>;
  religion_code: string | null;
  birthplace: string | null;
  address: string | null;
  status_code: Generated<string>;
  status_date: string;
  is_current: Generated<boolean>;
  current_class_id: string | null;
  /** Số đăng bộ, unique within the school (migration 0025). */
  register_number: string | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
};

export type GuardianTable = {
  school_id: string;
  id: string;
  student_id: string;
  relation: 'father' | 'mother' | 'guardian';
  full_name: string;
  phone: string | null;
  email: string | null;
  occupation: string | null;
  birth_year: number | null;
  user_id: string | null;
};

export type EnrolmentTable = {
  school_id: string;
  id: string;
  student_id: string;
  class_id: string;
  year: number;
  start_date: string;
  end_date: string | null;
};

export type StudentEventTable = {
  school_id: string;
  id: string;
  student_id: string;
  person_id: string;
  kind: StudentEventKind;
  event_date: string;
  status_code: string | null;
  from_class_id: string | null;
  to_class_id: string | null;
  other_school_id: string | null;
  note: string | null;
  created_by: string | null;
  created_at: DefaultTimestamp;
};

export type TeachingAssignmentTable = {
  school_id: string;
  id: string;
  year: number;
  term: number;
  class_id: string;
  subject_code: string;
  staff_id: string;
};

export type GradebookState = 'open' | 'submitted' | 'reviewed' | 'locked';

export type GradebookCellTable = {
  school_id: string;
  class_id: string;
  subject_code: string;
  term: number;
  student_id: string;
  column_key: string;
  score_tenths: number | null;
  pass_fail: 'dat' | 'chua_dat' | null;
  comment: string | null;
  version: Generated<number>;
  updated_by: string | null;
  updated_at: DefaultTimestamp;
  value_at_lock: string | null;
  subject_level: SubjectLevelValue | null;
  corrected_at: Timestamp | null;
};

/** TT27 (primary): a subject's level at a checkpoint; a quality's or competency's level. */
export type SubjectLevelValue = 'hoan_thanh_tot' | 'hoan_thanh' | 'chua_hoan_thanh';
export type QualityLevelValue = 'tot' | 'dat' | 'can_co_gang';
export type CheckpointValue = 'mid_term1' | 'end_term1' | 'mid_term2' | 'end_year';

export type QualityRatingTable = {
  school_id: string;
  class_id: string;
  checkpoint: CheckpointValue;
  student_id: string;
  quality_code: string;
  level: QualityLevelValue | null;
  version: Generated<number>;
  updated_by: string | null;
  updated_at: DefaultTimestamp;
};

export type QualityRatingStateTable = {
  school_id: string;
  class_id: string;
  checkpoint: CheckpointValue;
  state: 'open' | 'locked';
  changed_by: string | null;
  changed_at: DefaultTimestamp;
  unlock_reason: string | null;
};

/** The homeroom teacher's year comments of a primary student (0028), locked with the end-of-year ratings. */
export type YearCommentTopicValue = 'pham_chat' | 'nang_luc_chung' | 'nang_luc_dac_thu' | 'overall';
export type YearCommentTable = {
  school_id: string;
  class_id: string;
  student_id: string;
  topic: YearCommentTopicValue;
  comment: string | null;
  version: Generated<number>;
  updated_by: string | null;
  updated_at: DefaultTimestamp;
};

/** TT27 Điều 13 awards beyond Học sinh Xuất sắc (0028): proposed by the homeroom teacher, recorded by the principal. */
export type PrimaryAwardKindValue = 'tieu_bieu' | 'dot_xuat';
export type PrimaryAwardTable = {
  school_id: string;
  class_id: string;
  student_id: string;
  kind: PrimaryAwardKindValue;
  achievement: string;
  status: 'proposed' | 'recorded';
  version: Generated<number>;
  proposed_by: string | null;
  recorded_by: string | null;
  updated_at: DefaultTimestamp;
};

/** Preschool evaluation periods (0024): end of term I and end of the year. */
export type PreschoolPeriodValue = 'end_term1' | 'end_year';

export type PreschoolIndicatorSetTable = {
  school_id: string;
  indicator_set: Json;
  version: Generated<number>;
  updated_by: string | null;
  updated_at: DefaultTimestamp;
};

export type PreschoolEvaluationTable = {
  school_id: string;
  class_id: string;
  period: PreschoolPeriodValue;
  student_id: string;
  indicator_code: string;
  result: 'dat' | 'chua_dat' | null;
  version: Generated<number>;
  updated_by: string | null;
  updated_at: DefaultTimestamp;
};

export type PreschoolMeasurementTable = {
  school_id: string;
  student_id: string;
  measured_on: string;
  height_tenths_cm: number;
  weight_tenths_kg: number;
  version: Generated<number>;
  updated_by: string | null;
  updated_at: DefaultTimestamp;
};

export type GradebookStateTable = {
  school_id: string;
  class_id: string;
  subject_code: string;
  term: number;
  state: GradebookState;
  changed_by: string | null;
  changed_at: DefaultTimestamp;
  unlock_reason: string | null;
};

export type AssessmentLevel = 'tot' | 'kha' | 'dat' | 'chua_dat';
export type ResultPeriod = 'hk1' | 'hk2' | 'cn';

export type AttendanceTable = {
  school_id: string;
  student_id: string;
  day: string;
  session: 'morning' | 'afternoon';
  class_id: string;
  excused: boolean;
  reason: string | null;
  recorded_by: string | null;
  recorded_at: DefaultTimestamp;
  /** The approved leave request (đơn xin nghỉ học) that wrote it (migration 0035); a teacher's later edit clears it. */
  leave_request_id: Generated<string | null>;
};

/** A school year in which subject teachers take attendance per lesson (migration 0022). */
export type LessonAttendanceYearTable = {
  school_id: string;
  year: number;
  turned_on_by: string | null;
  turned_on_at: DefaultTimestamp;
};

/** One lesson's roll call; its absences are `lesson_absence` rows. */
export type LessonRollTable = {
  school_id: string;
  class_id: string;
  day: string;
  lesson: number;
  subject_code: string;
  recorded_by: string | null;
  recorded_at: DefaultTimestamp;
};

export type LessonAbsenceTable = {
  school_id: string;
  class_id: string;
  day: string;
  lesson: number;
  student_id: string;
  excused: boolean;
  reason: string | null;
};

export type TrainingRatingTable = {
  school_id: string;
  student_id: string;
  year: number;
  term: number;
  level: AssessmentLevel;
  set_by: string | null;
  set_at: DefaultTimestamp;
};

export type StudentResultTable = {
  school_id: string;
  student_id: string;
  year: number;
  period: ResultPeriod;
  class_id: string;
  learning: AssessmentLevel | null;
  learning_adjusted_from: AssessmentLevel | null;
  learning_adjusted_because: string | null;
  training: AssessmentLevel | null;
  sessions_absent: Generated<number>;
  sessions_absent_excused: Generated<number>;
  promotion: 'promoted' | 'retained' | 'retest' | 'summer_training' | null;
  promotion_detail: string | null;
  award: 'xuat_sac' | 'gioi' | null;
  missing: ColumnType<unknown, string | undefined, string>;
  computed_at: DefaultTimestamp;
  computed_by: string | null;
  primary_outcome: 'hoan_thanh_xuat_sac' | 'hoan_thanh_tot' | 'hoan_thanh' | 'chua_hoan_thanh' | null;
  /** Quality code → Tốt / Đạt / Cần cố gắng (tot, dat, can_co_gang) at the checkpoint closed. */
  qualities: ColumnType<unknown, string | undefined, string>;
};

/** A TT58/2011 year brought in from an old record (0026); học lực and promotion are recomputed on read. */
export type LegacyResultTable = {
  school_id: string;
  id: string;
  student_id: string;
  year: number;
  grade: number;
  class_name: string;
  conduct_term1: LegacyConduct | null;
  conduct_term2: LegacyConduct | null;
  conduct_year: LegacyConduct | null;
  sessions_absent: number;
  /** ĐTB các môn học kì I / II as the record holds them (migration 0029); shown, never ranked from. */
  average_term1_tenths: number | null;
  average_term2_tenths: number | null;
  file_name: string | null;
  imported_by: string;
  imported_at: DefaultTimestamp;
};
export type LegacyConduct = 'tot' | 'kha' | 'trung_binh' | 'yeu';

export type LegacySubjectResultTable = {
  school_id: string;
  legacy_result_id: string;
  subject_name: string;
  sort_order: number;
  average_tenths: number | null;
  comment_result: 'd' | 'cd' | null;
};

export type SubjectResultTable = {
  school_id: string;
  student_id: string;
  year: number;
  period: ResultPeriod;
  subject_code: string;
  average_tenths: number | null;
  pass_fail: 'dat' | 'chua_dat' | null;
  exempt: Generated<boolean>;
  missing: string | null;
  subject_level: SubjectLevelValue | null;
  test_tenths: number | null;
};

/** Miễn học (TT22 Điều 11): term I, term II or the whole year (migration 0020). */
export type SubjectExemptionTable = {
  school_id: string;
  student_id: string;
  year: number;
  subject_code: string;
  scope: ResultPeriod;
  reason: string;
  recorded_by: string | null;
  recorded_at: DefaultTimestamp;
};

/** A summer re-test mark (Điều 13): tenths or Đạt / Chưa đạt. */
export type SummerRetestTable = {
  school_id: string;
  student_id: string;
  year: number;
  subject_code: string;
  score_tenths: number | null;
  pass_fail: 'dat' | 'chua_dat' | null;
  entered_by: string | null;
  entered_at: DefaultTimestamp;
};

/** The training re-rated after summer training (Điều 14). */
export type SummerTrainingTable = {
  school_id: string;
  student_id: string;
  year: number;
  level: AssessmentLevel;
  set_by: string | null;
  set_at: DefaultTimestamp;
};

/** The principal's lock of a school's summer entries of a year. */
export type SummerStateTable = {
  school_id: string;
  year: number;
  locked: boolean;
  changed_by: string | null;
  changed_at: DefaultTimestamp;
  unlock_reason: string | null;
};

/** The year classified again after the summer (Điều 13 khoản 2, Điều 14 khoản 2). */
export type SummerResultTable = {
  school_id: string;
  student_id: string;
  year: number;
  promotion: 'promoted' | 'retained' | null;
  learning: AssessmentLevel | null;
  training: AssessmentLevel | null;
  detail: string | null;
  missing: string | null;
  computed_at: DefaultTimestamp;
  computed_by: string | null;
};

export type GradebookPublicationTable = {
  school_id: string;
  class_id: string;
  subject_code: string;
  term: number;
  column_key: string;
  published_by: string | null;
  published_at: DefaultTimestamp;
};

export type ResultPublicationTable = {
  school_id: string;
  class_id: string;
  year: number;
  period: ResultPeriod;
  published_by: string | null;
  published_at: DefaultTimestamp;
};

export type AppUserTable = {
  id: string;
  username: string;
  password_hash: string;
  display_name: string;
  staff_school_id: string | null;
  staff_id: string | null;
  student_school_id: string | null;
  student_id: string | null;
  is_active: Generated<boolean>;
  must_change_password: Generated<boolean>;
  /** Unused since 0007_login_throttle (counts and locks live in login_attempt / login_backoff). */
  failed_logins: Generated<number>;
  /** Unused since 0007_login_throttle. */
  locked_until: Timestamp | null;
  last_login_at: Timestamp | null;
  created_at: DefaultTimestamp;
};

export type RoleGrantTable = {
  id: string;
  user_id: string;
  role: Role;
  org_unit_id: string;
  created_at: DefaultTimestamp;
};

export type UserSessionTable = {
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: DefaultTimestamp;
  last_seen_at: DefaultTimestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
};

export type AuditLogTable = {
  id: string;
  at: DefaultTimestamp;
  user_id: string | null;
  username: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  org_unit_id: string | null;
  before: Json | null;
  after: Json | null;
  ip: string | null;
  /** Units holding the account's grants, for events about an account (0004). */
  subject_unit_ids: ColumnType<string[] | null, string[] | null | undefined, string[] | null>;
  /** The name of what the row is about as it was when written ("Nguyễn Văn An", "9A1 (2025-2026)"); 0009. */
  target_label: string | null;
};

export type LoginAttemptTable = {
  username: string;
  client: string;
  attempts: number;
  locked_until: Timestamp | null;
  last_attempt_at: DefaultTimestamp;
};

export type LoginBackoffTable = {
  username: string;
  window_started_at: Timestamp;
  attempts: number;
  level: Generated<number>;
  locked_until: Timestamp | null;
};

export type LoginDeviceTable = {
  token_hash: string;
  user_id: string;
  created_at: DefaultTimestamp;
  last_used_at: DefaultTimestamp;
};

export type ImportJobTable = {
  id: string;
  school_id: string;
  kind: ImportKind;
  mode: ImportMode;
  status: ImportStatus;
  file_name: string;
  /** The uploader allowed name / date of birth / sex of matched students to change. */
  identity_changes: Generated<boolean>;
  total_rows: Generated<number>;
  processed_rows: Generated<number>;
  created_rows: Generated<number>;
  updated_rows: Generated<number>;
  /** Of updated_rows, the rows that matched a record already identical to them (0014). */
  unchanged_rows: Generated<number>;
  error_count: Generated<number>;
  /** Every warning of the run; `errors` keeps at most 10,000 errors and warnings (0014). */
  warning_count: Generated<number>;
  /** The issues kept (errors first, then warnings, each with its severity): see imports/pipeline.ts. */
  errors: ColumnType<unknown, string | undefined, string>;
  message: string | null;
  created_by: string | null;
  created_at: DefaultTimestamp;
  finished_at: Timestamp | null;
};

/** One of a scope's counters (0013: the version is the sum over its shards). */
export type DataVersionTable = { scope: string; shard: number; version: number };

/** Last temporary learner code number issued per school and prefix (0012). */
export type TempCodeCounterTable = { school_id: string; prefix: string; last_seq: number };

export type ConsentRecordTable = {
  school_id: string;
  id: string;
  student_id: string;
  purpose: string;
  action: 'give' | 'withdraw';
  giver: 'guardian' | 'student';
  guardian_id: string | null;
  giver_name: string;
  giver_relation: string | null;
  method: 'paper' | 'online';
  effective_date: string;
  note: string | null;
  recorded_by: string;
  recorded_at: DefaultTimestamp;
};

export type StudentAnonymisationTable = {
  school_id: string;
  student_id: string;
  anonymised_at: DefaultTimestamp;
  anonymised_by: string;
  retention_years: number;
  left_on: string;
  consent_counts: Json;
};

export type AccessLogTable = {
  school_id: string;
  /** `generated always as identity`: the database refuses an id on insert. */
  id: GeneratedAlways<number>;
  student_id: string;
  at: DefaultTimestamp;
  user_id: string | null;
  username: string | null;
  action: 'profile_view' | 'personal_data_export' | 'list_export';
  ip: string | null;
};

export type SchoolTransferKind = 'request' | 'issue';
export type SchoolTransferStatus = 'pending' | 'completed' | 'declined' | 'cancelled';

/** One school's copy of a two-sided transfer (two rows per transfer, same id; see migration 0004). */
export type SchoolTransferTable = {
  school_id: string;
  id: string;
  kind: SchoolTransferKind;
  status: Generated<SchoolTransferStatus>;
  from_school_id: string;
  to_school_id: string;
  from_student_id: string;
  person_id: string;
  to_class_id: string | null;
  effective_date: string;
  note: string | null;
  created_by: string;
  created_at: DefaultTimestamp;
  decided_by: string | null;
  decided_at: Timestamp | null;
  decision_reason: string | null;
  to_student_id: string | null;
};

/** The demo province's gradebook still to fill, one row per demo school (migration 0018; server/src/demo/). */
export type DemoGradebookFillTable = {
  school_id: string;
  position: number;
  year: number;
  seed: number;
  as_of: string;
  done_at: Timestamp | null;
};

export type BackgroundJobState = 'queued' | 'running' | 'done' | 'failed';

/** A job on the database's own queue (migration 0019; platform/jobs.ts). */
export type BackgroundJobTable = {
  id: string;
  kind: string;
  org_unit_id: string;
  params: ColumnType<unknown, string | undefined, string>;
  state: Generated<BackgroundJobState>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  run_after: DefaultTimestamp;
  heartbeat_at: Timestamp | null;
  progress_done: Generated<number>;
  progress_total: Generated<number>;
  progress_text: string | null;
  result: Json | null;
  error: string | null;
  created_by: string | null;
  created_at: DefaultTimestamp;
  finished_at: Timestamp | null;
};

export type BackgroundJobFileTable = {
  job_id: string;
  seq: number;
  name: string;
  body: Uint8Array;
};

export type NotificationKind = 'announcement' | 'message' | 'leave_request' | 'leave_decision' | 'results_published' | 'test';

/** One person told about one thing, the contact book's in-app inbox (migration 0031; modules/notifications). */
export type NotificationTable = {
  id: string;
  user_id: string;
  school_id: string | null;
  student_id: string | null;
  kind: NotificationKind;
  source_id: string;
  batch_id: string;
  title: string;
  body: Generated<string>;
  link: string;
  created_at: DefaultTimestamp;
  read_at: Timestamp | null;
  sent_by: string | null;
};

export type NotificationChannel = 'push' | 'email' | 'webhook';
export type NotificationDeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed';

export type NotificationPreferenceTable = {
  user_id: string;
  push: Generated<boolean>;
  email: Generated<boolean>;
  email_address: string | null;
  email_digest: Generated<boolean>;
  webhook: Generated<boolean>;
  updated_at: DefaultTimestamp;
};

export type PushSubscriptionTable = {
  id: string;
  user_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  device: Generated<string>;
  created_at: DefaultTimestamp;
};

export type NotificationWebhookTable = {
  org_unit_id: string;
  url: string;
  secret: string;
  with_contact: Generated<boolean>;
  updated_at: DefaultTimestamp;
};

export type NotificationDeliveryTable = {
  notification_id: string;
  channel: NotificationChannel;
  status: Generated<NotificationDeliveryStatus>;
  attempts: Generated<number>;
  next_attempt_at: DefaultTimestamp;
  last_error: string | null;
  message_id: string;
  sent_at: Timestamp | null;
};

export type NotificationDigestTable = {
  user_id: string;
  day: string;
  status: 'sending' | 'sent';
  message_id: string;
  notices: number;
  sent_at: Timestamp | null;
};

export type ServerKeyTable = {
  name: string;
  value: Json;
  created_at: DefaultTimestamp;
};

export type ActivationCodeTable = {
  id: string;
  school_id: string;
  student_id: string;
  kind: 'guardian' | 'student' | 'contact';
  guardian_id: string | null;
  code_hash: string;
  expires_at: Timestamp;
  created_at: DefaultTimestamp;
  created_by: string | null;
  used_at: Timestamp | null;
  used_by: string | null;
  revoked_at: Timestamp | null;
};

export type ActivationAttemptTable = {
  key: string;
  attempts: number;
  window_started_at: DefaultTimestamp;
};

export type AnnouncementStatus = 'draft' | 'scheduled' | 'sent' | 'cancelled';
export type AttachmentContentType =
  | 'application/pdf'
  | 'image/png'
  | 'image/jpeg'
  | 'image/webp'
  | 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
  | 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** An announcement (thông báo) of a school or an office (migration 0034; modules/announcements). */
export type AnnouncementTable = {
  id: string;
  org_unit_id: string;
  created_by: string;
  title: string;
  body: string;
  audience: Json;
  status: Generated<AnnouncementStatus>;
  send_at: Timestamp | null;
  sent_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  cancelled_by: string | null;
  reminded_at: Timestamp | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
};

export type AnnouncementStudentTable = { announcement_id: string; school_id: string; student_id: string; class_id: string | null };
export type AnnouncementStaffTable = { announcement_id: string; user_id: string; school_id: string; read_at: Timestamp | null };
export type AnnouncementReadTable = { announcement_id: string; student_id: string; user_id: string; read_at: DefaultTimestamp };
export type AnnouncementAttachmentTable = {
  id: string;
  announcement_id: string;
  file_name: string;
  content_type: AttachmentContentType;
  size_bytes: number;
  body: Uint8Array;
  created_at: DefaultTimestamp;
};

/** Whether families may write to the subject teachers too (migration 0035). */
export type ContactSettingTable = {
  school_id: string;
  subject_teacher_messages: Generated<boolean>;
  updated_by: string | null;
  updated_at: DefaultTimestamp;
};

/** A teacher's quiet hours, minutes after midnight Vietnam time (migration 0035). */
export type QuietHoursTable = {
  user_id: string;
  quiet_from: number;
  quiet_to: number;
  updated_at: DefaultTimestamp;
};

export type MessageThreadTable = {
  id: string;
  school_id: string;
  student_id: string;
  kind: 'homeroom' | 'subject';
  staff_id: string | null;
  closed_at: Timestamp | null;
  closed_by: string | null;
  created_at: DefaultTimestamp;
  last_message_at: DefaultTimestamp;
  family_read_at: Timestamp | null;
  staff_read_at: Timestamp | null;
};

export type MessageTable = {
  id: string;
  thread_id: string;
  school_id: string;
  side: 'family' | 'staff';
  author_id: string | null;
  author_label: string;
  body: string;
  created_at: DefaultTimestamp;
  notify_at: Timestamp | null;
  reported_at: Timestamp | null;
  reported_by: string | null;
  report_side: 'family' | 'staff' | null;
  report_reason: string | null;
};

export type LeaveRequestStatus = 'pending' | 'approved' | 'declined' | 'cancelled' | 'withdrawn';
export type LeaveRequestTable = {
  id: string;
  school_id: string;
  student_id: string;
  class_id: string;
  from_day: string;
  to_day: string;
  part: 'morning' | 'afternoon' | 'full_day';
  reason: string;
  status: Generated<LeaveRequestStatus>;
  requested_by: string | null;
  requested_by_label: string;
  created_at: DefaultTimestamp;
  decided_by: string | null;
  decided_by_label: string | null;
  decided_at: Timestamp | null;
  decision_note: string | null;
  ended_at: Timestamp | null;
};

export type Database = {
  data_version: DataVersionTable;
  temp_code_counter: TempCodeCounterTable;
  name_key_version: NameKeyVersionTable;
  code_list_item: CodeListItemTable;
  subject: SubjectTable;
  curriculum_subject: CurriculumSubjectTable;
  org_unit: OrgUnitTable;
  org_unit_version: OrgUnitVersionTable;
  school_year: SchoolYearTable;
  school_subject: SchoolSubjectTable;
  staff: StaffTable;
  class: ClassTable;
  student: StudentTable;
  guardian: GuardianTable;
  enrolment: EnrolmentTable;
  student_event: StudentEventTable;
  teaching_assignment: TeachingAssignmentTable;
  gradebook_cell: GradebookCellTable;
  gradebook_state: GradebookStateTable;
  quality_rating: QualityRatingTable;
  quality_rating_state: QualityRatingStateTable;
  year_comment: YearCommentTable;
  primary_award: PrimaryAwardTable;
  preschool_indicator_set: PreschoolIndicatorSetTable;
  preschool_evaluation: PreschoolEvaluationTable;
  preschool_measurement: PreschoolMeasurementTable;
  attendance: AttendanceTable;
  lesson_attendance_year: LessonAttendanceYearTable;
  lesson_roll: LessonRollTable;
  lesson_absence: LessonAbsenceTable;
  training_rating: TrainingRatingTable;
  student_result: StudentResultTable;
  subject_result: SubjectResultTable;
  legacy_result: LegacyResultTable;
  legacy_subject_result: LegacySubjectResultTable;
  gradebook_publication: GradebookPublicationTable;
  subject_exemption: SubjectExemptionTable;
  summer_retest: SummerRetestTable;
  summer_training: SummerTrainingTable;
  summer_state: SummerStateTable;
  summer_result: SummerResultTable;
  result_publication: ResultPublicationTable;
  app_user: AppUserTable;
  role_grant: RoleGrantTable;
  user_session: UserSessionTable;
  audit_log: AuditLogTable;
  login_attempt: LoginAttemptTable;
  login_backoff: LoginBackoffTable;
  login_device: LoginDeviceTable;
  import_job: ImportJobTable;
  consent_record: ConsentRecordTable;
  student_anonymisation: StudentAnonymisationTable;
  access_log: AccessLogTable;
  school_transfer: SchoolTransferTable;
  demo_gradebook_fill: DemoGradebookFillTable;
  background_job: BackgroundJobTable;
  background_job_file: BackgroundJobFileTable;
  notification: NotificationTable;
  activation_code: ActivationCodeTable;
  activation_attempt: ActivationAttemptTable;
  announcement: AnnouncementTable;
  announcement_student: AnnouncementStudentTable;
  announcement_staff: AnnouncementStaffTable;
  announcement_read: AnnouncementReadTable;
  announcement_attachment: AnnouncementAttachmentTable;
  contact_setting: ContactSettingTable;
  quiet_hours: QuietHoursTable;
  message_thread: MessageThreadTable;
  message: MessageTable;
  leave_request: LeaveRequestTable;
  notification_preference: NotificationPreferenceTable;
  push_subscription: PushSubscriptionTable;
  notification_webhook: NotificationWebhookTable;
  notification_delivery: NotificationDeliveryTable;
  notification_digest: NotificationDigestTable;
  server_key: ServerKeyTable;
};

export type StudentRow = Selectable<StudentTable>;
export type NewStudent = Insertable<StudentTable>;
export type StudentUpdate = Updateable<StudentTable>;
export type StaffRow = Selectable<StaffTable>;
export type ClassRow = Selectable<ClassTable>;
export type OrgUnitVersionRow = Selectable<OrgUnitVersionTable>;
export type AppUserRow = Selectable<AppUserTable>;
