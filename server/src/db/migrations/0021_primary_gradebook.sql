-- The primary gradebook (TT27/2020, grades 1–5) in the same grids as TT22: a class × subject ×
-- term grid holds the term's two checkpoints (term 1: gk_* = giữa học kì I, ck_* = cuối học kì I;
-- term 2: gk_* = giữa học kì II, ck_* = cuối năm học), each with the level (…_muc: Hoàn thành
-- tốt / Hoàn thành / Chưa hoàn thành), the periodic test (…_kt, whole 1–10, in score_tenths) and
-- the comment (…_nx). Same versions, states and lock trigger (domain/assessment/primary-grid.ts).

alter table gradebook_cell add column subject_level text check (subject_level in ('hoan_thanh_tot', 'hoan_thanh', 'chua_hoan_thanh'));
alter table gradebook_cell drop constraint gradebook_cell_check;
alter table gradebook_cell add constraint gradebook_cell_one_value check (num_nonnulls(score_tenths, pass_fail, comment, subject_level) <= 1);
alter table gradebook_cell drop constraint gradebook_cell_column_key_check;
alter table gradebook_cell add constraint gradebook_cell_column_key_check check (column_key ~ '^(tx[1-9]|gk|ck|nx|(gk|ck)_(muc|kt|nx))$');
alter table gradebook_publication drop constraint gradebook_publication_column_key_check;
alter table gradebook_publication add constraint gradebook_publication_column_key_check check (column_key ~ '^(tx[1-9]|gk|ck|nx|(gk|ck)_(muc|kt|nx))$');

-- Phẩm chất và năng lực (TT27 Điều 7): the homeroom teacher's rating of each student's qualities
-- and competencies at each checkpoint, Tốt / Đạt / Cần cố gắng. Versioned like a gradebook cell
-- (a save names the version it saw: no silent overwrite). A cleared rating keeps its row.
create table quality_rating (
  school_id uuid not null,
  class_id uuid not null,
  checkpoint text not null check (checkpoint in ('mid_term1', 'end_term1', 'mid_term2', 'end_year')),
  student_id uuid not null,
  quality_code text not null check (quality_code ~ '^(pc|nlc|nldt)_[a-z_]+$'),
  level text check (level in ('tot', 'dat', 'can_co_gang')),
  version integer not null default 1,
  updated_by uuid,
  updated_at timestamptz not null default now(),
  primary key (school_id, class_id, checkpoint, student_id, quality_code),
  foreign key (school_id, class_id) references class (school_id, id),
  foreign key (school_id, student_id) references student (school_id, id) on delete cascade
);

-- Where a class's ratings of a checkpoint stand: no row = open; the principal locks them (and
-- unlocks with a reason, audited), as a gradebook grid.
create table quality_rating_state (
  school_id uuid not null,
  class_id uuid not null,
  checkpoint text not null check (checkpoint in ('mid_term1', 'end_term1', 'mid_term2', 'end_year')),
  state text not null check (state in ('open', 'locked')),
  changed_by uuid,
  changed_at timestamptz not null default now(),
  unlock_reason text,
  primary key (school_id, class_id, checkpoint),
  foreign key (school_id, class_id) references class (school_id, id)
);

-- The same guarantee as gradebook_cell_locked: no path changes a locked checkpoint's ratings.
create function quality_rating_refuse_locked() returns trigger language plpgsql as $$
declare
  k record;
begin
  if tg_op = 'DELETE' then k := old; else k := new; end if;
  if exists (
    select 1 from quality_rating_state s
    where s.school_id = k.school_id and s.class_id = k.class_id and s.checkpoint = k.checkpoint and s.state = 'locked'
  ) then
    raise exception 'gradebook_locked' using errcode = 'P0001', detail = 'the quality ratings of this class and checkpoint are locked';
  end if;
  if tg_op = 'DELETE' then return old; end if;
  return new;
end;
$$;

create trigger quality_rating_locked
  before insert or update or delete on quality_rating
  for each row execute function quality_rating_refuse_locked();

-- What a close of a primary class found (TT27 Điều 9, 13): the end-of-year outcome (Hoàn thành
-- xuất sắc / tốt / Hoàn thành / Chưa hoàn thành; null with `missing` while something is not
-- entered) and the qualities at the checkpoint closed; per subject the level and the periodic
-- test that counted. The award column takes Học sinh Xuất sắc as 'xuat_sac' for both circulars
-- (the same title); Học sinh Tiêu biểu needs the class's recognition, which nothing records yet.
alter table student_result add column primary_outcome text check (primary_outcome in ('hoan_thanh_xuat_sac', 'hoan_thanh_tot', 'hoan_thanh', 'chua_hoan_thanh'));
alter table student_result add column qualities jsonb not null default '{}';
alter table subject_result add column subject_level text check (subject_level in ('hoan_thanh_tot', 'hoan_thanh', 'chua_hoan_thanh'));
alter table subject_result add column test_tenths smallint check (test_tenths between 10 and 100);
