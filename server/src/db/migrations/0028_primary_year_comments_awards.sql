-- The primary học bạ's year (TT27/2020): the homeroom teacher's comments and the awards of Điều 13.

-- Nhận xét của giáo viên chủ nhiệm for a student's year: on the qualities (phẩm chất chủ yếu), on
-- the general and the specific competencies (năng lực chung, năng lực đặc thù) and the year's
-- overall remarks. Written at the end-of-year checkpoint, so the principal's lock of that
-- checkpoint's ratings (quality_rating_state, checkpoint 'end_year') locks them too. Versioned
-- like a rating (a save names the version it saw); a cleared comment keeps its row.
create table year_comment (
  school_id uuid not null,
  class_id uuid not null,
  student_id uuid not null,
  topic text not null check (topic in ('pham_chat', 'nang_luc_chung', 'nang_luc_dac_thu', 'overall')),
  comment text check (char_length(comment) <= 1000),
  version integer not null default 1,
  updated_by uuid,
  updated_at timestamptz not null default now(),
  primary key (school_id, class_id, student_id, topic),
  foreign key (school_id, class_id) references class (school_id, id),
  foreign key (school_id, student_id) references student (school_id, id) on delete cascade
);

-- The same guarantee as quality_rating_locked: no path changes the comments of a locked year.
create function year_comment_refuse_locked() returns trigger language plpgsql as $$
declare
  k record;
begin
  if tg_op = 'DELETE' then k := old; else k := new; end if;
  if exists (
    select 1 from quality_rating_state s
    where s.school_id = k.school_id and s.class_id = k.class_id and s.checkpoint = 'end_year' and s.state = 'locked'
  ) then
    raise exception 'gradebook_locked' using errcode = 'P0001', detail = 'the end-of-year ratings and comments of this class are locked';
  end if;
  if tg_op = 'DELETE' then return old; end if;
  return new;
end;
$$;

create trigger year_comment_locked
  before insert or update or delete on year_comment
  for each row execute function year_comment_refuse_locked();

-- Khen thưởng (TT27 Điều 13) beyond the computed Học sinh Xuất sắc: "Học sinh Tiêu biểu hoàn
-- thành tốt trong học tập và rèn luyện" (kind 'tieu_bieu', only for a Hoàn thành tốt year, with
-- the achievement: the outstanding subject or the quality / competency that clearly progressed)
-- and an ad-hoc award (khen thưởng đột xuất, kind 'dot_xuat', its own text). The homeroom
-- teacher proposes, the principal records; one of each kind per student and class (year).
create table primary_award (
  school_id uuid not null,
  class_id uuid not null,
  student_id uuid not null,
  kind text not null check (kind in ('tieu_bieu', 'dot_xuat')),
  achievement text not null check (char_length(achievement) between 1 and 500),
  status text not null check (status in ('proposed', 'recorded')),
  version integer not null default 1,
  proposed_by uuid,
  recorded_by uuid,
  updated_at timestamptz not null default now(),
  primary key (school_id, class_id, student_id, kind),
  foreign key (school_id, class_id) references class (school_id, id),
  foreign key (school_id, student_id) references student (school_id, id) on delete cascade
);
