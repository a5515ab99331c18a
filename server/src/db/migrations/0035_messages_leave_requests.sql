-- The contact book's messages and leave requests (issue 11, items 4 and 5).

-- What a school decides for its contact book: whether families may write to the subject teachers of
-- their child's class too (the homeroom teacher always), set by the principal.
create table contact_setting (
  school_id uuid primary key references org_unit (id),
  subject_teacher_messages boolean not null default false,
  updated_by uuid,
  updated_at timestamptz not null default now()
);

-- A teacher's quiet hours (giờ yên tĩnh), minutes after midnight Vietnam time; from > to runs
-- across midnight. A message written then is kept, its notice held until they end.
create table quiet_hours (
  user_id uuid primary key references app_user (id) on delete cascade,
  quiet_from smallint not null check (quiet_from between 0 and 1439),
  quiet_to smallint not null check (quiet_to between 0 and 1439),
  updated_at timestamptz not null default now()
);

-- One thread per child and teacher, about that child. The homeroom thread (staff_id null) belongs to
-- whoever is the homeroom teacher of the child's class: a replaced teacher loses it, the new one
-- reads its history. A subject teacher's thread names the teacher.
create table message_thread (
  id uuid primary key,
  school_id uuid not null,
  student_id uuid not null,
  kind text not null check (kind in ('homeroom', 'subject')),
  staff_id uuid,
  closed_at timestamptz,
  closed_by uuid,
  created_at timestamptz not null default now(),
  last_message_at timestamptz not null default now(),
  -- Read state per side: each side has read every message up to this instant.
  family_read_at timestamptz,
  staff_read_at timestamptz,
  check ((kind = 'homeroom') = (staff_id is null)),
  foreign key (school_id, student_id) references student (school_id, id) on delete cascade,
  foreign key (school_id, staff_id) references staff (school_id, id)
);
create unique index message_thread_homeroom_idx on message_thread (school_id, student_id) where kind = 'homeroom';
create unique index message_thread_subject_idx on message_thread (school_id, student_id, staff_id) where kind = 'subject';
create index message_thread_recent_idx on message_thread (school_id, last_message_at desc);

-- A message: text only. Its author is named as the other side reads them ("Cô Lê Thị Hoa — GVCN 6A1",
-- "Phụ huynh em Nguyễn Văn An"), never with a phone number or an e-mail address. A message either
-- side reports is what the principal reads, and only those.
create table message (
  id uuid primary key,
  thread_id uuid not null references message_thread (id) on delete cascade,
  school_id uuid not null,
  side text not null check (side in ('family', 'staff')),
  author_id uuid references app_user (id) on delete set null,
  author_label text not null check (length(author_label) between 1 and 200),
  body text not null check (length(body) between 1 and 2000),
  created_at timestamptz not null default now(),
  -- When the teacher is told (the end of their quiet hours); null = told at once.
  notify_at timestamptz,
  reported_at timestamptz,
  reported_by uuid references app_user (id) on delete set null,
  report_side text check (report_side in ('family', 'staff')),
  report_reason text check (length(report_reason) between 1 and 500)
);
create index message_thread_time_idx on message (thread_id, created_at);
create index message_author_time_idx on message (author_id, created_at);
create index message_reported_idx on message (school_id, reported_at desc) where reported_at is not null;

-- Đơn xin nghỉ học: a parent asks for days and sessions with a reason; the homeroom teacher decides.
-- An approved request is excused absence in attendance (rows carrying its id, so withdrawing it
-- before its first day removes exactly them).
create table leave_request (
  id uuid primary key,
  school_id uuid not null,
  student_id uuid not null,
  class_id uuid not null,
  from_day date not null,
  to_day date not null,
  part text not null check (part in ('morning', 'afternoon', 'full_day')),
  reason text not null check (length(reason) between 1 and 500),
  status text not null default 'pending' check (status in ('pending', 'approved', 'declined', 'cancelled', 'withdrawn')),
  requested_by uuid references app_user (id) on delete set null,
  requested_by_label text not null,
  created_at timestamptz not null default now(),
  decided_by uuid references app_user (id) on delete set null,
  decided_by_label text,
  decided_at timestamptz,
  decision_note text check (length(decision_note) <= 500),
  ended_at timestamptz,
  check (from_day <= to_day),
  foreign key (school_id, student_id) references student (school_id, id) on delete cascade,
  foreign key (school_id, class_id) references class (school_id, id)
);
create index leave_request_student_idx on leave_request (school_id, student_id, from_day desc);
create index leave_request_class_idx on leave_request (school_id, class_id, status);

alter table attendance add column leave_request_id uuid references leave_request (id) on delete set null;
