-- Personal-data duties (Nghị định 13/2023/NĐ-CP, Luật 91/2025/QH15): consent records, the log of
-- who viewed a student's record, and the trace of anonymisation after the retention period.
-- See docs/privacy.md.

-- One expressed act of consent or withdrawal, per purpose (codes in domain/privacy/consent.ts).
-- Append-only: the state on a date is read from the history, so a row is never changed; a
-- withdrawal is a new row. Rows go only when the student is anonymised (counts are kept then).
create table consent_record (
  school_id uuid not null,
  id uuid not null,
  student_id uuid not null,
  purpose text not null,
  action text not null check (action in ('give', 'withdraw')),
  giver text not null check (giver in ('guardian', 'student')),
  guardian_id uuid,              -- which guardian (no FK: guardian rows are replaced on edit)
  giver_name text not null,      -- the name as written on the form / of the account, as it was
  giver_relation text,           -- father | mother | guardian, for a guardian
  method text not null check (method in ('paper', 'online')),
  effective_date date not null,  -- the date signed on paper, or the day given online
  note text,
  recorded_by uuid not null,     -- app_user who recorded it (the parent online, or school staff)
  recorded_at timestamptz not null default now(),
  primary key (school_id, id),
  foreign key (school_id, student_id) references student (school_id, id),
  check ((giver = 'guardian') = (guardian_id is not null))
);
create index consent_record_student_idx on consent_record (school_id, student_id, effective_date, recorded_at);

-- When a student row was anonymised, by whom, and what is left of its consents (counts only).
create table student_anonymisation (
  school_id uuid not null,
  student_id uuid not null,
  anonymised_at timestamptz not null default now(),
  anonymised_by uuid not null,
  retention_years integer not null,
  left_on date not null,
  consent_counts jsonb not null, -- {"photo_publish": {"give": 2, "withdraw": 1}, ...}
  primary key (school_id, student_id),
  foreign key (school_id, student_id) references student (school_id, id)
);

create function consent_record_append_only() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' and exists (
    select 1 from student_anonymisation a where a.school_id = old.school_id and a.student_id = old.student_id
  ) then
    return old;
  end if;
  raise exception 'consent_record is append-only: record a withdrawal instead of changing history'
    using errcode = 'P0001';
end $$;
create trigger consent_record_no_update before update on consent_record
  for each row execute function consent_record_append_only();
create trigger consent_record_no_delete before delete on consent_record
  for each row execute function consent_record_append_only();

-- Who looked at a student's record: one row per profile view, personal-data export, and per
-- student in an Excel list export (one statement for the whole list). Kept
-- small (ids, no personal data of the student) so it survives anonymisation and supports a
-- breach investigation (ND 13/2023 Art. 23).
create table access_log (
  school_id uuid not null,
  id bigint generated always as identity,
  student_id uuid not null,
  at timestamptz not null default now(),
  user_id uuid,
  username text,
  action text not null check (action in ('profile_view', 'personal_data_export', 'list_export')),
  ip text,
  primary key (school_id, id)
);
create index access_log_student_idx on access_log (school_id, student_id, at desc);
create index access_log_user_idx on access_log (user_id, at desc);
