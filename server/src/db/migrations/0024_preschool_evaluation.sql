-- Preschool (mầm non): the periodic development evaluation against the school's indicator set,
-- and height / weight measurements (domain/assessment/preschool.ts).

-- The school's indicator set (lĩnh vực → chuẩn → chỉ số), kept whole as the domain's
-- DevelopmentIndicatorSet in jsonb: the set is edited and read as one tree (a few dozen items),
-- never queried by item, and one row per school keeps one version for the whole edit (two
-- people editing the set cannot silently lose each other's change). No row = the default set
-- (DEFAULT_5_YEAR_INDICATOR_SET), so nothing is seeded per school. Per school, not per province:
-- the domain's rule is that the school edits it (a province-wide set would need a second owner
-- and an override rule; nothing asks for it yet).
create table preschool_indicator_set (
  school_id uuid primary key references org_unit (id),
  indicator_set jsonb not null,
  version integer not null default 1,
  updated_by uuid,
  updated_at timestamptz not null default now()
);

-- One child's result on one indicator in one evaluation period of a class, Đạt / Chưa đạt;
-- versioned as a gradebook cell (a save names the version it saw: no silent overwrite). The
-- class fixes the school year. Keyed by the indicator's code: a result whose code has left the
-- set stays stored and is shown as such (unknownIndicatorCodes), never deleted by an edit of the set.
create table preschool_evaluation (
  school_id uuid not null,
  class_id uuid not null,
  period text not null check (period in ('end_term1', 'end_year')),
  student_id uuid not null,
  indicator_code text not null check (indicator_code ~ '^[A-Za-z0-9_.-]{1,40}$'),
  result text check (result in ('dat', 'chua_dat')),
  version integer not null default 1,
  updated_by uuid,
  updated_at timestamptz not null default now(),
  primary key (school_id, class_id, period, student_id, indicator_code),
  foreign key (school_id, class_id) references class (school_id, id),
  foreign key (school_id, student_id) references student (school_id, id) on delete cascade
);

-- One measurement of a child (cân đo), in tenths as typed (98,5 cm → 985; 15,2 kg → 152). Only
-- the inputs are stored: the z-scores and the nutrition status are computed on read from the
-- child's sex and date of birth and the WHO tables, so a corrected date of birth or a corrected
-- rule changes every status at once, and no stored status can disagree with the record it came
-- from. The computation is a table lookup per child, cheap enough for a class on every read.
create table preschool_measurement (
  school_id uuid not null,
  student_id uuid not null,
  measured_on date not null,
  height_tenths_cm smallint not null check (height_tenths_cm between 300 and 2000),
  weight_tenths_kg smallint not null check (weight_tenths_kg between 10 and 1500),
  version integer not null default 1,
  updated_by uuid,
  updated_at timestamptz not null default now(),
  primary key (school_id, student_id, measured_on),
  foreign key (school_id, student_id) references student (school_id, id) on delete cascade
);
