-- org_unit_version.school_levels was the one enumerated column without a check constraint: the
-- code reads it as SchoolLevel[] (the grades a school may open, the level a transferred student
-- must fit), yet the database accepted any text. Every other enumerated column is checked by the
-- database; this one now is too, so the type in schema.ts states what the database guarantees
-- (server/src/db/schema.test.ts compares them).
alter table org_unit_version add constraint org_unit_version_school_levels_check
  check (school_levels <@ array['preschool', 'primary', 'lower_secondary', 'upper_secondary']::text[]);
