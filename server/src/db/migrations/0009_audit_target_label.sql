-- The name of what an audit row is about, as it was when the row was written ("Nguyễn Văn An",
-- "9A1 (2025-2026)"), so the audit viewer names a student or a class the way they were, not by an
-- id (issue 8). New rows get it from platform/audit-target.ts; existing rows are filled below from
-- their own snapshots where those hold the name, else from today's tables. A row whose subject is
-- gone and whose snapshot holds no name stays null: the viewer then shows "<kind> (không rõ tên)".
alter table audit_log add column target_label text;

-- Students and staff: the name in the snapshot (after, else before).
update audit_log
   set target_label = nullif(trim(concat_ws(' ',
         nullif(coalesce(after, before) ->> 'family_name', ''),
         nullif(coalesce(after, before) ->> 'middle_name', ''),
         nullif(coalesce(after, before) ->> 'given_name', ''))), '')
 where entity in ('student', 'staff') and target_label is null;

-- Classes: "9A1 (2025-2026)".
update audit_log
   set target_label = (coalesce(after, before) ->> 'name') || ' ('
         || (coalesce(after, before) ->> 'year') || '-' || ((coalesce(after, before) ->> 'year')::int + 1)::text || ')'
 where entity = 'class' and target_label is null
   and coalesce(after, before) ->> 'name' is not null
   and coalesce(after, before) ->> 'year' ~ '^[0-9]{4}$';

-- Org units and import files: the name in the snapshot.
update audit_log set target_label = coalesce(after, before) ->> 'name' where entity = 'org_unit' and target_label is null;
update audit_log set target_label = after ->> 'fileName' where entity = 'import_job' and target_label is null;

-- School years: the year is the second half of the entity id ("<school id>:2025").
update audit_log
   set target_label = split_part(entity_id, ':', 2) || '-' || (split_part(entity_id, ':', 2)::int + 1)::text
 where entity = 'school_year' and target_label is null and split_part(entity_id, ':', 2) ~ '^[0-9]{4}$';

-- Subjects of a school: "Toán khối 6 (2025-2026)".
update audit_log a
   set target_label = s.name || ' khối ' || (coalesce(a.after, a.before) ->> 'grade') || ' ('
         || (coalesce(a.after, a.before) ->> 'year') || '-' || ((coalesce(a.after, a.before) ->> 'year')::int + 1)::text || ')'
  from subject s
 where a.entity = 'school_subject' and a.target_label is null
   and s.code = coalesce(a.after, a.before) ->> 'subject_code'
   and coalesce(a.after, a.before) ->> 'year' ~ '^[0-9]{4}$';

-- Teaching assignments: "Toán, lớp 6A1, học kì I 2025-2026".
update audit_log a
   set target_label = s.name || ', lớp ' || c.name || ', học kì ' || case coalesce(a.after, a.before) ->> 'term' when '1' then 'I' else 'II' end
         || ' ' || c.year::text || '-' || (c.year + 1)::text
  from subject s, class c
 where a.entity = 'teaching_assignment' and a.target_label is null
   and s.code = coalesce(a.after, a.before) ->> 'subject_code'
   and c.id::text = coalesce(a.after, a.before) ->> 'class_id';

-- Students, staff and classes whose snapshot held no name (imports of a few changed fields, status
-- changes of old rows): today's name of the record, the nearest thing left.
update audit_log a
   set target_label = nullif(trim(concat_ws(' ', nullif(s.family_name, ''), nullif(s.middle_name, ''), nullif(s.given_name, ''))), '')
  from student s
 where a.entity = 'student' and a.target_label is null and s.id::text = a.entity_id;
update audit_log a
   set target_label = nullif(trim(concat_ws(' ', nullif(s.family_name, ''), nullif(s.middle_name, ''), nullif(s.given_name, ''))), '')
  from staff s
 where a.entity = 'staff' and a.target_label is null and s.id::text = a.entity_id;
update audit_log a
   set target_label = c.name || ' (' || c.year::text || '-' || (c.year + 1)::text || ')'
  from class c
 where a.entity = 'class' and a.target_label is null and c.id::text = a.entity_id;

-- Accounts and role grants: "Display name (username)" of the account.
update audit_log a
   set target_label = u.display_name || ' (' || u.username || ')'
  from app_user u
 where a.entity = 'app_user' and a.target_label is null and u.id::text = a.entity_id;
update audit_log a
   set target_label = u.display_name || ' (' || u.username || ')'
  from app_user u
 where a.entity = 'role_grant' and a.target_label is null and u.id::text = coalesce(a.after, a.before) ->> 'userId';

-- School transfers: the learner's name (the sending school's record).
update audit_log a
   set target_label = nullif(trim(concat_ws(' ', nullif(s.family_name, ''), nullif(s.middle_name, ''), nullif(s.given_name, ''))), '')
  from school_transfer t, student s
 where a.entity = 'school_transfer' and a.target_label is null
   and t.id::text = a.entity_id and s.school_id = t.from_school_id and s.id = t.from_student_id;
