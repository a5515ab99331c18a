-- A school's data version moves when the writing transaction commits, no longer at the statement
-- that wrote (0002). Moving it locks the school's row of data_version until the commit; taken at
-- the statement, that lock made every other write to the same school wait for the rest of the
-- transaction, the server's own round trips included (fifty admissions at once queued behind each
-- other's audit insert and commit). Deferred to the commit, the row is held only while PostgreSQL
-- commits. The version still changes in the same transaction as the data, so no reader sees new
-- data under an old version that would never move again.
drop trigger student_version_ins on student;
drop trigger student_version_upd on student;
drop trigger student_version_del on student;
drop trigger class_version_ins on class;
drop trigger class_version_upd on class;
drop trigger class_version_del on class;

-- Row-level (a constraint trigger cannot be statement-level), once per school and transaction: a
-- transaction-local setting remembers the schools already bumped, so a 20,000-row import moves
-- its school's version once.
create function bump_school_data_version_at_commit() returns trigger language plpgsql as $$
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
    insert into data_version (scope, version) values ('school:' || school, 1)
      on conflict (scope) do update set version = data_version.version + 1;
  end loop;
  return null;
end $$;

create constraint trigger student_version_at_commit after insert or update or delete on student
  deferrable initially deferred for each row execute function bump_school_data_version_at_commit();
create constraint trigger class_version_at_commit after insert or update or delete on class
  deferrable initially deferred for each row execute function bump_school_data_version_at_commit();

drop function bump_school_data_version();
