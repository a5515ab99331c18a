-- What families see (issue 10 part 7, for the contact book): parents and students read only the
-- marks a teacher has published, column by column, and the results of a period once the school
-- publishes them for the class. Unpublishing removes the row.
create table gradebook_publication (
  school_id uuid not null,
  class_id uuid not null,
  subject_code text not null references subject (code),
  term smallint not null check (term in (1, 2)),
  column_key text not null check (column_key ~ '^(tx[1-9]|gk|ck|nx)$'),
  published_by uuid,
  published_at timestamptz not null default now(),
  primary key (school_id, class_id, subject_code, term, column_key),
  foreign key (school_id, class_id) references class (school_id, id)
);

create table result_publication (
  school_id uuid not null,
  class_id uuid not null,
  year smallint not null,
  period text not null check (period in ('hk1', 'hk2', 'cn')),
  published_by uuid,
  published_at timestamptz not null default now(),
  primary key (school_id, class_id, year, period),
  foreign key (school_id, class_id) references class (school_id, id)
);
