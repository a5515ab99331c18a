-- Exemptions (miễn học, TT22/2021 Điều 11) and the summer after the year close (Điều 13–14).

-- A student exempt from a subject for term I, term II or the whole year of a school year, with
-- the reason (e.g. GDTC for health reasons), recorded by the principal. One row per student ×
-- subject × year: a second decision replaces the first. The grid refuses marks for an exempt
-- student in the exempt term(s), and the term and year close reads this table.
create table subject_exemption (
  school_id uuid not null,
  student_id uuid not null,
  year smallint not null,
  subject_code text not null references subject (code),
  scope text not null check (scope in ('hk1', 'hk2', 'cn')),
  reason text not null check (char_length(reason) between 3 and 500),
  recorded_by uuid,
  recorded_at timestamptz not null default now(),
  primary key (school_id, student_id, year, subject_code),
  foreign key (school_id, student_id) references student (school_id, id) on delete cascade
);

-- The summer re-test mark (kiểm tra lại, Điều 13) of a student in one subject of the year close's
-- list: tenths of a point for a scored subject, Đạt / Chưa đạt for a comment one.
create table summer_retest (
  school_id uuid not null,
  student_id uuid not null,
  year smallint not null,
  subject_code text not null references subject (code),
  score_tenths smallint check (score_tenths between 0 and 100),
  pass_fail text check (pass_fail in ('dat', 'chua_dat')),
  entered_by uuid,
  entered_at timestamptz not null default now(),
  primary key (school_id, student_id, year, subject_code),
  foreign key (school_id, student_id) references student (school_id, id) on delete cascade,
  check (num_nonnulls(score_tenths, pass_fail) = 1)
);

-- The training re-rated after summer training (rèn luyện trong kì nghỉ hè, Điều 14).
create table summer_training (
  school_id uuid not null,
  student_id uuid not null,
  year smallint not null,
  level text not null check (level in ('tot', 'kha', 'dat', 'chua_dat')),
  set_by uuid,
  set_at timestamptz not null default now(),
  primary key (school_id, student_id, year),
  foreign key (school_id, student_id) references student (school_id, id) on delete cascade
);

-- The school's summer entries of a year, locked by the principal as a term's grid is: no row or
-- locked = false means open. Unlocking needs a reason (kept, audited).
create table summer_state (
  school_id uuid not null references org_unit (id),
  year smallint not null,
  locked boolean not null,
  changed_by uuid,
  changed_at timestamptz not null default now(),
  unlock_reason text,
  primary key (school_id, year)
);

-- No path changes a locked summer: not the API, not a script. The service refuses first with a
-- message; this is the guarantee underneath it (as gradebook_cell_refuse_locked for the grids).
create function summer_refuse_locked() returns trigger language plpgsql as $$
declare
  k record;
begin
  if tg_op = 'DELETE' then k := old; else k := new; end if;
  if exists (select 1 from summer_state s where s.school_id = k.school_id and s.year = k.year and s.locked) then
    raise exception 'summer_locked' using errcode = 'P0001', detail = 'the summer re-test and training of this school year are locked';
  end if;
  if tg_op = 'DELETE' then return old; end if;
  return new;
end;
$$;

create trigger summer_retest_locked before insert or update or delete on summer_retest
  for each row execute function summer_refuse_locked();
create trigger summer_training_locked before insert or update or delete on summer_training
  for each row execute function summer_refuse_locked();

-- The year's result classified again after the summer (Điều 13 khoản 2, Điều 14 khoản 2): the
-- final promoted / retained, the learning and training results it stood on, and the text the
-- học bạ prints. Kept beside the year close (student_result 'cn'), which a later close replaces
-- without touching this; null promotion with `missing` while an entry is still missing.
create table summer_result (
  school_id uuid not null,
  student_id uuid not null,
  year smallint not null,
  promotion text check (promotion in ('promoted', 'retained')),
  learning text check (learning in ('tot', 'kha', 'dat', 'chua_dat')),
  training text check (training in ('tot', 'kha', 'dat', 'chua_dat')),
  detail text,
  missing text,
  computed_at timestamptz not null default now(),
  computed_by uuid,
  primary key (school_id, student_id, year),
  foreign key (school_id, student_id) references student (school_id, id) on delete cascade
);
