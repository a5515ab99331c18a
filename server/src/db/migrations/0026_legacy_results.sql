-- Results of years assessed under Thông tư 58/2011 (before TT22/2021 reached the grade:
-- domain/assessment/rule-sets.ts), brought in from paper records or old software exports
-- (modules/gradebook/legacy-results*.ts). One row per student × school year with what the record
-- holds; the học lực, promotion and title are NOT stored: they are recomputed on read by the
-- domain (tt58.ts), so a fix of a rule shows on every imported year, and a stored verdict can never
-- disagree with the marks beside it.
create table legacy_result (
  school_id uuid not null,
  id uuid not null,
  student_id uuid not null,
  year integer not null check (year between 1990 and 2100), -- start year: 2019 = 2019-2020
  grade integer not null check (grade between 6 and 12),     -- the grade as it was that year
  class_name text not null check (length(class_name) between 1 and 40),
  conduct_term1 text check (conduct_term1 in ('tot', 'kha', 'trung_binh', 'yeu')),
  conduct_term2 text check (conduct_term2 in ('tot', 'kha', 'trung_binh', 'yeu')),
  conduct_year text check (conduct_year in ('tot', 'kha', 'trung_binh', 'yeu')),
  sessions_absent integer not null check (sessions_absent between 0 and 400),
  file_name text,
  imported_by uuid not null,
  imported_at timestamptz not null default now(),
  primary key (school_id, id),
  unique (school_id, student_id, year),
  foreign key (school_id, student_id) references student (school_id, id) on delete cascade
);

-- The year result of each subject: a mark in tenths (scored subjects) or Đ / CĐ (Thể dục, Âm
-- nhạc, Mỹ thuật: Điều 6 khoản 1 điểm a), exactly one of them.
create table legacy_subject_result (
  school_id uuid not null,
  legacy_result_id uuid not null,
  subject_name text not null check (length(subject_name) between 1 and 60),
  sort_order integer not null,
  average_tenths integer check (average_tenths between 0 and 100),
  comment_result text check (comment_result in ('d', 'cd')),
  primary key (school_id, legacy_result_id, subject_name),
  foreign key (school_id, legacy_result_id) references legacy_result (school_id, id) on delete cascade,
  check (num_nonnulls(average_tenths, comment_result) = 1)
);
