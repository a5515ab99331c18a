-- The electronic gradebook (sổ điểm điện tử): one row per cell of a class × subject × term grid,
-- and the state of each grid in the submit → review → lock chain (TT22/2021; TT27/2020 for
-- primary uses the same cells with its own column keys).

-- A cell: a student's mark (tenths of a point), Đạt/Chưa đạt or comment in one column.
-- `version` rises with every write: a save names the version it saw, so two tabs or two teachers
-- never overwrite each other silently. A cleared cell keeps its row (and version).
-- `value_at_lock`: the value the locked gradebook showed, kept when it is corrected after an
-- unlock, so the học bạ can show the correction the way paper does (struck through, new value).
create table gradebook_cell (
  school_id uuid not null,
  class_id uuid not null,
  subject_code text not null references subject (code),
  term smallint not null check (term in (1, 2)),
  student_id uuid not null,
  column_key text not null check (column_key ~ '^(tx[1-9]|gk|ck|nx)$'),
  score_tenths smallint check (score_tenths between 0 and 100),
  pass_fail text check (pass_fail in ('dat', 'chua_dat')),
  comment text check (char_length(comment) <= 2000),
  version integer not null default 1,
  updated_by uuid,
  updated_at timestamptz not null default now(),
  value_at_lock text,
  corrected_at timestamptz,
  primary key (school_id, class_id, subject_code, term, student_id, column_key),
  foreign key (school_id, class_id) references class (school_id, id),
  foreign key (school_id, student_id) references student (school_id, id) on delete cascade,
  check (num_nonnulls(score_tenths, pass_fail, comment) <= 1)
);

-- Where a grid stands. No row: open. The subject teacher submits, the homeroom teacher reviews
-- (or returns it), the principal locks; unlocking needs a reason and is audited.
create table gradebook_state (
  school_id uuid not null,
  class_id uuid not null,
  subject_code text not null references subject (code),
  term smallint not null check (term in (1, 2)),
  state text not null check (state in ('open', 'submitted', 'reviewed', 'locked')),
  changed_by uuid,
  changed_at timestamptz not null default now(),
  unlock_reason text,
  primary key (school_id, class_id, subject_code, term),
  foreign key (school_id, class_id) references class (school_id, id)
);

-- No path changes a locked grid's cells: not the API, not an import, not a script. The service
-- refuses first with a message; this is the guarantee underneath it.
create function gradebook_cell_refuse_locked() returns trigger language plpgsql as $$
declare
  k record;
begin
  if tg_op = 'DELETE' then k := old; else k := new; end if;
  if exists (
    select 1 from gradebook_state s
    where s.school_id = k.school_id and s.class_id = k.class_id and s.subject_code = k.subject_code
      and s.term = k.term and s.state = 'locked'
  ) then
    raise exception 'gradebook_locked' using errcode = 'P0001', detail = 'the gradebook of this class, subject and term is locked';
  end if;
  if tg_op = 'DELETE' then return old; end if;
  return new;
end;
$$;

create trigger gradebook_cell_locked
  before insert or update or delete on gradebook_cell
  for each row execute function gradebook_cell_refuse_locked();
