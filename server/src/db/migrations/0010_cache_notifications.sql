-- Change notifications for the per-process session cache (platform/session-cache.ts). A server
-- process keeps recently used sessions and data versions in memory and LISTENs on 'ts_cache';
-- PostgreSQL delivers these at commit, to every process, so a sign-out, a removed grant or a
-- changed record in one process is seen by the others within milliseconds, not at a timeout.

-- 'v:<scope>': a data version moved (every write to a school's students or classes, the org tree).
create function notify_data_version() returns trigger language plpgsql as $$
begin
  perform pg_notify('ts_cache', 'v:' || new.scope);
  return null;
end $$;
create trigger data_version_notify after insert or update on data_version
  for each row execute function notify_data_version();

-- 's': who is signed in or what they may do changed (a session ended, an account or its grants
-- changed). Statement-level: a bulk change sends one notice, and identical notices in one
-- transaction are folded into one by PostgreSQL. Sliding a session's expiry (an update of
-- user_session) and the sign-in counters of app_user (failed_logins, locked_until,
-- last_login_at) change neither, so they send nothing: a password-guessing storm must not empty
-- every process's cache.
create function notify_sessions_changed() returns trigger language plpgsql as $$
begin
  perform pg_notify('ts_cache', 's');
  return null;
end $$;
create trigger user_session_notify after delete on user_session
  for each statement execute function notify_sessions_changed();
create trigger app_user_notify
  after update of username, display_name, password_hash, is_active, must_change_password,
                  staff_school_id, staff_id, student_school_id, student_id
  or delete on app_user
  for each statement execute function notify_sessions_changed();
create trigger role_grant_notify after insert or update or delete on role_grant
  for each statement execute function notify_sessions_changed();
