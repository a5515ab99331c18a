-- A change counter per school (and one for the org tree), bumped by triggers in the same
-- transaction as the change. Hot read paths cache results in memory keyed by this counter, so
-- every app process sees a change at its next request, and no write path can forget to
-- invalidate: the database does it.
create table data_version (
  scope text primary key,        -- 'school:<uuid>' or 'org_tree'
  version bigint not null
);

create function bump_school_data_version() returns trigger language plpgsql as $$
begin
  insert into data_version (scope, version)
    select 'school:' || school_id, 1 from (select distinct school_id from changed_rows) s
    on conflict (scope) do update set version = data_version.version + 1;
  return null;
end $$;

create function bump_org_tree_version() returns trigger language plpgsql as $$
begin
  insert into data_version (scope, version) values ('org_tree', 1)
    on conflict (scope) do update set version = data_version.version + 1;
  return null;
end $$;

-- Statement-level with transition tables: one bump per statement and school, so a 20,000-row
-- import costs one upsert, not 20,000.
create trigger student_version_ins after insert on student referencing new table as changed_rows
  for each statement execute function bump_school_data_version();
create trigger student_version_upd after update on student referencing new table as changed_rows
  for each statement execute function bump_school_data_version();
create trigger student_version_del after delete on student referencing old table as changed_rows
  for each statement execute function bump_school_data_version();
create trigger class_version_ins after insert on class referencing new table as changed_rows
  for each statement execute function bump_school_data_version();
create trigger class_version_upd after update on class referencing new table as changed_rows
  for each statement execute function bump_school_data_version();
create trigger class_version_del after delete on class referencing old table as changed_rows
  for each statement execute function bump_school_data_version();
create trigger org_tree_version after insert or update or delete on org_unit_version
  for each statement execute function bump_org_tree_version();
