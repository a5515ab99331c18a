-- Attendance per lesson (tiết), taken by the subject teacher at the start of the lesson where the
-- school turns it on for a school year (issue 10 §3). The 45-session rule (TT22/2021 Điều 12)
-- counts sessions (buổi), which the homeroom teacher records in `attendance`; the lessons are what
-- the homeroom teacher reads to decide a session, and what a report counts as lessons missed.

-- A school year in which the school's subject teachers take attendance per lesson.
create table lesson_attendance_year (
  school_id uuid not null references org_unit (id),
  year smallint not null,
  turned_on_by uuid,
  turned_on_at timestamptz not null default now(),
  primary key (school_id, year)
);

-- One lesson's roll call: the class, the day and the lesson's number in that day, the subject
-- taught and who called the roll. A roll with no absence says "everyone was there".
create table lesson_roll (
  school_id uuid not null,
  class_id uuid not null,
  day date not null,
  lesson smallint not null check (lesson between 1 and 10),
  subject_code text not null,
  recorded_by uuid,
  recorded_at timestamptz not null default now(),
  primary key (school_id, class_id, day, lesson),
  foreign key (school_id, class_id) references class (school_id, id)
);

-- A student missing from a lesson, excused or not.
create table lesson_absence (
  school_id uuid not null,
  class_id uuid not null,
  day date not null,
  lesson smallint not null,
  student_id uuid not null,
  excused boolean not null,
  reason text check (char_length(reason) <= 500),
  primary key (school_id, class_id, day, lesson, student_id),
  foreign key (school_id, class_id, day, lesson) references lesson_roll (school_id, class_id, day, lesson) on delete cascade,
  foreign key (school_id, student_id) references student (school_id, id) on delete cascade
);
create index lesson_absence_student_idx on lesson_absence (school_id, student_id, day);
