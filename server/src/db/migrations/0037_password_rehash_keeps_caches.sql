-- A sign-in makes an older password hash again at today's setting (decision 0021): an update of
-- password_hash alone. Nothing a process keeps in its session cache holds the hash (the session
-- lookup never reads it), and a password change or reset already notifies through
-- must_change_password and the sessions it deletes — so password_hash leaves the list of columns
-- whose update empties every process's cache. Otherwise, on the first report-card evening after
-- an upgrade, every parent's sign-in would empty every cache (migration 0010's guessing-storm
-- reasoning, for right passwords).
drop trigger app_user_notify on app_user;
create trigger app_user_notify
  after update of username, display_name, is_active, must_change_password,
                  staff_school_id, staff_id, student_school_id, student_id
  or delete on app_user
  for each statement execute function notify_sessions_changed();
