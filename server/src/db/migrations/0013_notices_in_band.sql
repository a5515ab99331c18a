-- Issue 8, second speed pass: many writes to one school commit together (admission day sends
-- dozens of admissions of one school a second). Two things made each such commit wait for the one
-- before it to reach the disk: the school's data_version row, locked from its bump to the end of
-- the commit, and NOTIFY, which PostgreSQL serialises across all notifying transactions until
-- their commit is on disk. So:

-- 1. A data version is the sum of a few rows, one per group of database connections: concurrent
--    writers bump different rows. Every committed bump adds exactly one to the sum, so the sum
--    still names exactly one state of the data, as the single counter did.
alter table data_version add column shard smallint not null default 0;
alter table data_version drop constraint data_version_pkey;
alter table data_version add primary key (scope, shard);

-- PL/pgSQL keeps the insert's plan for the session (an SQL function would plan it at every call).
create function bump_data_version(bumped text) returns void language plpgsql as $$
begin
  insert into data_version (scope, shard, version) values (bumped, pg_backend_pid() % 16, 1)
    on conflict (scope, shard) do update set version = data_version.version + 1;
end $$;

create or replace function bump_org_tree_version() returns trigger language plpgsql as $$
begin
  perform bump_data_version('org_tree');
  return null;
end $$;

create or replace function bump_school_data_version_at_commit() returns trigger language plpgsql as $$
declare
  school uuid;
  seen text;
begin
  foreach school in array array[
    case when tg_op <> 'INSERT' then old.school_id end,
    case when tg_op <> 'DELETE' then new.school_id end
  ] loop
    continue when school is null;
    seen := 'truongso.version_bumped_' || replace(school::text, '-', '_');
    continue when current_setting(seen, true) = 'yes';
    perform set_config(seen, 'yes', true);
    perform bump_data_version('school:' || school);
  end loop;
  return null;
end $$;

-- 2. A moved version is told to the connection that moved it, in band (a NOTICE before its
--    statement returns), not with NOTIFY. That process forgets the version at once and, once the
--    transaction has ended, passes the notice on to the other processes as a NOTIFY of its own,
--    committed without waiting for the disk (server/src/db/connection.ts). A notice lost with a
--    crashed process costs the others at most the session cache's age limit (decision 0011).
create or replace function notify_data_version() returns trigger language plpgsql as $$
begin
  raise notice using message = 'ts_cache:v:' || new.scope;
  return null;
end $$;

-- 3. A change to who is signed in or what they may do keeps its NOTIFY (rare, and it must reach
--    every process whoever made it, psql included) and is told in band too, so the process that
--    made it empties its session cache before it answers.
create or replace function notify_sessions_changed() returns trigger language plpgsql as $$
begin
  perform pg_notify('ts_cache', 's');
  raise notice using message = 'ts_cache:s';
  return null;
end $$;
