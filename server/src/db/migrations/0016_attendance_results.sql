-- Attendance by session (buổi), the homeroom teacher's training ratings, and the results a term or
-- year close computes from the gradebook (TT22/2021 Điều 8, 9, 12–15).

-- One absence: a student missed a morning or afternoon session, excused (có phép) or not. A
-- present student has no row. The count over the year feeds the 45-session rule (Điều 12).
create table attendance (
  school_id uuid not null,
  student_id uuid not null,
  day date not null,
  session text not null check (session in ('morning', 'afternoon')),
  class_id uuid not null,
  excused boolean not null,
  reason text check (char_length(reason) <= 500),
  recorded_by uuid,
  recorded_at timestamptz not null default now(),
  primary key (school_id, student_id, day, session),
  foreign key (school_id, student_id) references student (school_id, id) on delete cascade,
  foreign key (school_id, class_id) references class (school_id, id)
);
create index attendance_class_day_idx on attendance (school_id, class_id, day);

-- Kết quả rèn luyện of a term, set by the homeroom teacher (Điều 8 khoản 2).
create table training_rating (
  school_id uuid not null,
  student_id uuid not null,
  year smallint not null,
  term smallint not null check (term in (1, 2)),
  level text not null check (level in ('tot', 'kha', 'dat', 'chua_dat')),
  set_by uuid,
  set_at timestamptz not null default now(),
  primary key (school_id, student_id, year, term),
  foreign key (school_id, student_id) references student (school_id, id) on delete cascade
);

-- What the last close of a term (hk1, hk2) or the year (cn) found for a student. Incomplete
-- results keep their reasons instead of a level: nobody reads a wrong level.
create table student_result (
  school_id uuid not null,
  student_id uuid not null,
  year smallint not null,
  period text not null check (period in ('hk1', 'hk2', 'cn')),
  class_id uuid not null,
  learning text check (learning in ('tot', 'kha', 'dat', 'chua_dat')),
  learning_adjusted_from text check (learning_adjusted_from in ('tot', 'kha', 'dat', 'chua_dat')),
  learning_adjusted_because text,
  training text check (training in ('tot', 'kha', 'dat', 'chua_dat')),
  sessions_absent integer not null default 0,
  sessions_absent_excused integer not null default 0,
  promotion text check (promotion in ('promoted', 'retained', 'retest', 'summer_training')),
  promotion_detail text,
  award text check (award in ('xuat_sac', 'gioi')),
  missing jsonb not null default '[]',
  computed_at timestamptz not null default now(),
  computed_by uuid,
  primary key (school_id, student_id, year, period),
  foreign key (school_id, student_id) references student (school_id, id) on delete cascade,
  foreign key (school_id, class_id) references class (school_id, id)
);
create index student_result_class_idx on student_result (school_id, class_id, year, period);

-- Each subject's result in that close: ĐTBmhk / ĐTBmcn in tenths, or Đạt / Chưa đạt, or exempt.
create table subject_result (
  school_id uuid not null,
  student_id uuid not null,
  year smallint not null,
  period text not null check (period in ('hk1', 'hk2', 'cn')),
  subject_code text not null references subject (code),
  average_tenths smallint check (average_tenths between 0 and 100),
  pass_fail text check (pass_fail in ('dat', 'chua_dat')),
  exempt boolean not null default false,
  missing text,
  primary key (school_id, student_id, year, period, subject_code),
  foreign key (school_id, student_id) references student (school_id, id) on delete cascade
);
