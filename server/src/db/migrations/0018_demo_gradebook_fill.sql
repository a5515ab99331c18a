-- The demo province's gradebook (term marks, attendance, training ratings and the term close) is
-- made after the rest of the demo, school by school, while the server already answers: ~500,000
-- cells would not fit in the first start's time (server/src/demo/README.md). One row per demo
-- school with work left, written by the demo seed in the same transaction as the demo's other
-- rows, with what the fill needs to make the same data after a restart (seed, school year, the
-- day the data is "as of"); done_at once the school is filled and closed. Only the demo seed
-- writes here, so a real database never has a row and nothing is ever made up in a real school.
create table demo_gradebook_fill (
  school_id uuid primary key references org_unit (id),
  position integer not null,
  year smallint not null,
  seed integer not null,
  as_of date not null,
  done_at timestamptz
);
