-- Announcements (thông báo, issue 11 item 3): a school's principal (or its office staff) to the
-- school's families and/or staff, a homeroom teacher to their class's families, an office to the
-- staff (and, when it chooses, the families) of the schools below it. Written as a draft, sent at
-- once or at a time chosen (a background job with run_after), cancelled or edited until it goes.
create table announcement (
  id uuid primary key,
  -- The sender's unit: a school, or an office.
  org_unit_id uuid not null references org_unit (id),
  created_by uuid not null references app_user (id),
  title text not null check (length(title) between 1 and 200),
  -- Plain text, kept as typed (line breaks included); never rendered as HTML.
  body text not null check (length(body) between 1 and 5000),
  -- Who it goes to: {"families":bool,"students":bool,"staff":bool,"classIds":[…],"schoolIds":[…]}.
  audience jsonb not null,
  status text not null default 'draft' check (status in ('draft', 'scheduled', 'sent', 'cancelled')),
  send_at timestamptz,
  sent_at timestamptz,
  cancelled_at timestamptz,
  cancelled_by uuid references app_user (id),
  reminded_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index announcement_unit_idx on announcement (org_unit_id, created_at desc);

-- The students whose families it reached, as they were when it was sent (class included): the
-- family list per child and the sender's "chưa đọc" list read it.
create table announcement_student (
  announcement_id uuid not null references announcement (id) on delete cascade,
  school_id uuid not null,
  student_id uuid not null,
  class_id uuid,
  primary key (announcement_id, student_id)
);
create index announcement_student_child_idx on announcement_student (student_id, school_id);

-- The staff accounts it reached, with when each opened it.
create table announcement_staff (
  announcement_id uuid not null references announcement (id) on delete cascade,
  user_id uuid not null references app_user (id) on delete cascade,
  school_id uuid not null,
  read_at timestamptz,
  primary key (announcement_id, user_id)
);
create index announcement_staff_user_idx on announcement_staff (user_id);

-- Read receipts of families: an account of the family (a guardian, the student) opened it in
-- that child's page.
create table announcement_read (
  announcement_id uuid not null references announcement (id) on delete cascade,
  student_id uuid not null,
  user_id uuid not null references app_user (id) on delete cascade,
  read_at timestamptz not null default now(),
  primary key (announcement_id, student_id, user_id)
);

-- Attached files (PDF, images, .docx, .xlsx; type read from the content), at most 5 MB each and
-- 5 per announcement (the service's rule).
create table announcement_attachment (
  id uuid primary key,
  announcement_id uuid not null references announcement (id) on delete cascade,
  file_name text not null check (length(file_name) between 1 and 200),
  content_type text not null check (content_type in ('application/pdf', 'image/png', 'image/jpeg', 'image/webp', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')),
  size_bytes integer not null check (size_bytes > 0),
  body bytea not null,
  created_at timestamptz not null default now()
);
create index announcement_attachment_idx on announcement_attachment (announcement_id);
