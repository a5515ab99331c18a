-- Trường Số core schema: reference data, effective-dated org tree, people, classes,
-- accounts, sessions, audit and import jobs.
-- Tenancy rule (Citus-ready): every school-scoped table has school_id first in its
-- primary key and in its foreign keys. Reference tables (code lists, subjects, the org
-- tree itself) are small and shared.

create extension if not exists unaccent;
create extension if not exists pg_trgm;

-- unaccent() is only STABLE, so it cannot be used in an index; this wrapper pins the
-- dictionary, which makes it safe to declare IMMUTABLE.
create or replace function f_unaccent(text) returns text
  language sql immutable parallel safe strict
  as $$ select public.unaccent('public.unaccent'::regdictionary, $1) $$;

-- ---------------------------------------------------------------- reference data
create table code_list_item (
  list text not null,            -- e.g. DM_DAN_TOC (Ministry sector-database code list)
  code text not null,
  name text not null,
  parent_code text,
  sort_order integer not null default 0,
  primary key (list, code)
);

create table subject (
  code text primary key,         -- our stable code, e.g. 'toan', 'ngu_van'
  name text not null,
  moet_code text,                -- DM_MON_HOC code when one exists
  sort_order integer not null default 0
);

-- GDPT 2018 catalog (TT32/2018 + TT13/2022): periods per year and assessment kind per grade.
create table curriculum_subject (
  grade smallint not null check (grade between 1 and 12),
  subject_code text not null references subject (code),
  periods_per_year integer not null check (periods_per_year >= 0),
  assessment_kind text not null check (assessment_kind in ('score', 'comment', 'mixed')),
  is_elective boolean not null default false,
  primary key (grade, subject_code)
);

-- ---------------------------------------------------------------- org tree
create table org_unit (
  id uuid primary key,
  kind text not null check (kind in ('ministry', 'province_office', 'district_office', 'commune_office', 'school', 'school_site')),
  code text unique,              -- Ministry code (school code, province code …) when known
  created_at timestamptz not null default now()
);

-- Every attribute that can change over time lives in a version row valid on [valid_from, valid_to).
-- "As the tree was on date D" = the versions with valid_from <= D < coalesce(valid_to, infinity).
create table org_unit_version (
  unit_id uuid not null references org_unit (id),
  valid_from date not null,
  valid_to date,
  parent_id uuid references org_unit (id),
  name text not null,
  school_levels text[] not null default '{}', -- preschool | primary | lower_secondary | upper_secondary
  ownership text check (ownership in ('public', 'private', 'community')),
  area text check (area in ('urban', 'rural', 'mountain', 'island')),
  province_code text,            -- DM_TINH code (pre-2025 list)
  address text,
  change_reason text,
  primary key (unit_id, valid_from),
  check (valid_to is null or valid_to > valid_from)
);
create index org_unit_version_parent_idx on org_unit_version (parent_id, valid_from);
create index org_unit_version_current_idx on org_unit_version (unit_id) where valid_to is null;

-- ---------------------------------------------------------------- school years and subjects
create table school_year (
  school_id uuid not null references org_unit (id),
  year smallint not null,        -- start year: 2025 means "2025-2026"
  term1_start date not null,
  term1_end date not null,
  term2_start date not null,
  term2_end date not null,
  primary key (school_id, year),
  check (term1_start < term1_end and term1_end < term2_start and term2_start < term2_end)
);

-- A school may change periods or assessment kind of a catalog subject for a year.
create table school_subject (
  school_id uuid not null references org_unit (id),
  year smallint not null,
  grade smallint not null,
  subject_code text not null references subject (code),
  periods_per_year integer not null check (periods_per_year >= 0),
  assessment_kind text not null check (assessment_kind in ('score', 'comment', 'mixed')),
  is_taught boolean not null default true,
  primary key (school_id, year, grade, subject_code)
);

-- ---------------------------------------------------------------- staff
create table staff (
  school_id uuid not null references org_unit (id),
  id uuid not null,
  staff_code text,               -- the school's or sector database's staff code
  family_name text not null,
  middle_name text not null default '',
  given_name text not null,
  name_sort_key text not null,
  search_text text not null,
  date_of_birth date,
  sex text check (sex in ('male', 'female')),
  ethnicity_code text,
  citizen_id text,
  phone text,
  email text,
  position text not null default 'teacher' check (position in ('principal', 'vice_principal', 'teacher', 'staff')),
  qualification_code text,       -- trình độ chuyên môn (code list)
  contract_type_code text,       -- hình thức hợp đồng (code list)
  subject_codes text[] not null default '{}',
  status text not null default 'active' check (status in ('active', 'left')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (school_id, id)
);
create unique index staff_code_uq on staff (school_id, staff_code) where staff_code is not null;
create index staff_sort_idx on staff (school_id, name_sort_key);

-- ---------------------------------------------------------------- classes
create table class (
  school_id uuid not null references org_unit (id),
  id uuid not null,
  year smallint not null,
  name text not null,
  grade smallint not null check (grade between 0 and 12), -- 0 = preschool (age group below)
  age_group text,                -- preschool: nhà trẻ / mẫu giáo age group code
  site_id uuid references org_unit (id),
  homeroom_teacher_id uuid,
  session text not null default 'full_day' check (session in ('morning', 'afternoon', 'full_day')),
  is_multi_grade boolean not null default false,
  created_at timestamptz not null default now(),
  primary key (school_id, id),
  unique (school_id, year, name),
  foreign key (school_id, homeroom_teacher_id) references staff (school_id, id)
);

-- ---------------------------------------------------------------- students
-- A student row is the school's record of a learner. Transfer to another school closes
-- this row (is_current = false) and opens one in the new school with the same person_id,
-- so a learner is never duplicated and the history reads across schools.
create table student (
  school_id uuid not null references org_unit (id),
  id uuid not null,
  person_id uuid not null,
  learner_id text,               -- mã định danh Bộ GD&ĐT, 10 digits
  temp_code text,                -- temporary local code until the Ministry id exists
  citizen_id text,               -- số định danh cá nhân, 12 digits
  family_name text not null,
  middle_name text not null default '',
  given_name text not null,
  name_sort_key text not null,
  search_text text not null,     -- searchFold(full name) for accent-insensitive search
  date_of_birth date not null,
  sex text not null check (sex in ('male', 'female')),
  ethnicity_code text not null default '01',
  religion_code text,
  birthplace text,
  address text,
  status_code text not null default '01', -- DM_TRANG_THAI_HOC_SINH
  status_date date not null,
  is_current boolean not null default true,
  current_class_id uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (school_id, id),
  foreign key (school_id, current_class_id) references class (school_id, id),
  check (learner_id is not null or temp_code is not null)
);
create unique index student_learner_id_uq on student (learner_id) where is_current and learner_id is not null;
create unique index student_citizen_id_uq on student (citizen_id) where is_current and citizen_id is not null;
create unique index student_temp_code_uq on student (school_id, temp_code) where temp_code is not null;
create index student_person_idx on student (person_id);
create index student_school_sort_idx on student (school_id, is_current, name_sort_key);
create index student_class_idx on student (school_id, current_class_id);
create index student_search_trgm_idx on student using gin (search_text gin_trgm_ops);

create table guardian (
  school_id uuid not null,
  id uuid not null,
  student_id uuid not null,
  relation text not null check (relation in ('father', 'mother', 'guardian')),
  full_name text not null,
  phone text,
  email text,
  occupation text,
  birth_year smallint,
  user_id uuid,                  -- parent account, when the guardian has one
  primary key (school_id, id),
  foreign key (school_id, student_id) references student (school_id, id) on delete cascade
);
create index guardian_student_idx on guardian (school_id, student_id);
create index guardian_user_idx on guardian (user_id) where user_id is not null;

-- Class membership per school year, with dates: a class change closes one row and opens another.
create table enrolment (
  school_id uuid not null,
  id uuid not null,
  student_id uuid not null,
  class_id uuid not null,
  year smallint not null,
  start_date date not null,
  end_date date,
  primary key (school_id, id),
  foreign key (school_id, student_id) references student (school_id, id) on delete cascade,
  foreign key (school_id, class_id) references class (school_id, id)
);
create index enrolment_class_idx on enrolment (school_id, class_id) where end_date is null;
create index enrolment_student_idx on enrolment (school_id, student_id);

-- The readable history of a learner: admission, class transfer, school transfer, status change.
create table student_event (
  school_id uuid not null,
  id uuid not null,
  student_id uuid not null,
  person_id uuid not null,
  kind text not null check (kind in ('admitted', 'class_transfer', 'transfer_out', 'transfer_in', 'status_change', 'promoted', 'imported')),
  event_date date not null,
  status_code text,
  from_class_id uuid,
  to_class_id uuid,
  other_school_id uuid,
  note text,
  created_by uuid,
  created_at timestamptz not null default now(),
  primary key (school_id, id),
  foreign key (school_id, student_id) references student (school_id, id) on delete cascade
);
create index student_event_person_idx on student_event (person_id, event_date);

-- ---------------------------------------------------------------- teaching assignments
create table teaching_assignment (
  school_id uuid not null,
  id uuid not null,
  year smallint not null,
  term smallint not null check (term in (1, 2)),
  class_id uuid not null,
  subject_code text not null references subject (code),
  staff_id uuid not null,
  primary key (school_id, id),
  unique (school_id, year, term, class_id, subject_code),
  foreign key (school_id, class_id) references class (school_id, id),
  foreign key (school_id, staff_id) references staff (school_id, id)
);
create index teaching_assignment_staff_idx on teaching_assignment (school_id, staff_id, year);

-- ---------------------------------------------------------------- accounts
create table app_user (
  id uuid primary key,
  username text not null unique,
  password_hash text not null,
  display_name text not null,
  -- links that decide whose data a teacher, parent or student account is:
  staff_school_id uuid,
  staff_id uuid,
  student_school_id uuid,
  student_id uuid,
  is_active boolean not null default true,
  must_change_password boolean not null default false,
  failed_logins integer not null default 0,
  locked_until timestamptz,
  last_login_at timestamptz,
  created_at timestamptz not null default now()
  -- no foreign keys to staff/student: accounts are shared, those tables are school-sharded;
  -- the accounts service checks the links.
);

create table role_grant (
  id uuid primary key,
  user_id uuid not null references app_user (id) on delete cascade,
  role text not null check (role in ('system_admin', 'province_officer', 'district_officer', 'principal', 'homeroom_teacher', 'subject_teacher', 'school_staff', 'parent', 'student')),
  org_unit_id uuid not null references org_unit (id),
  created_at timestamptz not null default now(),
  unique (user_id, role, org_unit_id)
);
create index role_grant_user_idx on role_grant (user_id);

create table user_session (
  token_hash text primary key,   -- sha256 of the cookie value: a stolen DB dump cannot be replayed
  user_id uuid not null references app_user (id) on delete cascade,
  csrf_token text not null,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  ip text,
  user_agent text
);
create index user_session_user_idx on user_session (user_id);

-- ---------------------------------------------------------------- audit
create table audit_log (
  id uuid primary key,
  at timestamptz not null default now(),
  user_id uuid,
  username text,
  action text not null,          -- e.g. student.create, org_unit.move
  entity text not null,
  entity_id text,
  org_unit_id uuid,              -- the school or office the change belongs to (for filtering)
  before jsonb,
  after jsonb,
  ip text
);
create index audit_log_unit_at_idx on audit_log (org_unit_id, at desc);
create index audit_log_user_at_idx on audit_log (user_id, at desc);
create index audit_log_at_idx on audit_log (at desc);

-- ---------------------------------------------------------------- imports
create table import_job (
  id uuid primary key,
  school_id uuid not null references org_unit (id),
  kind text not null check (kind in ('students', 'staff', 'classes')),
  mode text not null check (mode in ('all_or_nothing', 'valid_only')),
  status text not null check (status in ('queued', 'validating', 'writing', 'done', 'failed', 'rejected')),
  file_name text not null,
  total_rows integer not null default 0,
  processed_rows integer not null default 0,
  created_rows integer not null default 0,
  updated_rows integer not null default 0,
  error_count integer not null default 0,
  errors jsonb not null default '[]',
  message text,
  created_by uuid references app_user (id),
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
create index import_job_school_idx on import_job (school_id, created_at desc);
