-- Linking families (issue 11, item 1): the one-time activation codes a school prints per student,
-- and the codes sent to a guardian's contact on record. Only the SHA-256 of a code is kept: the
-- printed sheet is the one place the code itself ever exists.
--
-- kind:
--   guardian  printed for one guardian row of the student (the guardian's parent account is linked
--             to that row: guardian.user_id);
--   student   printed for the student (grade 6 and up): their own read-only account;
--   contact   sent to a guardian's e-mail or phone on record (short-lived), used with the learner id
--             and the date of birth instead of a printed code.
-- A code works once (used_at), until expires_at, and not after a reprint replaced it (revoked_at).
create table activation_code (
  id uuid primary key,
  school_id uuid not null references org_unit (id),
  student_id uuid not null,
  kind text not null check (kind in ('guardian', 'student', 'contact')),
  guardian_id uuid,
  code_hash text not null unique,
  expires_at timestamptz not null,
  created_at timestamptz not null default now(),
  created_by uuid references app_user (id) on delete set null,
  used_at timestamptz,
  used_by uuid references app_user (id) on delete set null,
  revoked_at timestamptz,
  foreign key (school_id, student_id) references student (school_id, id) on delete cascade,
  check ((kind = 'student') = (guardian_id is null))
);
create index activation_code_student_idx on activation_code (school_id, student_id, kind);

-- Failed activation attempts per key (an address, a learner id, the start of a code) in a fixed
-- window: the attempt is counted before the code is checked and given back when it was right
-- (same idea as login_attempt, decision 0010).
create table activation_attempt (
  key text primary key,
  attempts integer not null check (attempts >= 0),
  window_started_at timestamptz not null default now()
);
