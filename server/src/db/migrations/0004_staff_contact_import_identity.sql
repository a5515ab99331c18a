-- Issue 7 (data part).
--
-- 1. What colleagues may see of a staff member. Teachers get a staff directory (name, position,
--    subjects) instead of the personal record (date of birth, phone, e-mail, citizen id,
--    contract…). The one way to reach someone that the directory shows is the contact the
--    school chooses to publish for that person ("liên hệ trong trường": a room, an extension,
--    an official e-mail). Empty by default: nothing personal is published unless the school
--    writes it here on purpose.
alter table staff add column school_contact text;

-- 2. A student import may change a matched student's name, date of birth or sex only when the
--    uploader asked for it explicitly (and may: principals). The job records that it ran in
--    this mode, so the job list and the audit say so.
alter table import_job add column identity_changes boolean not null default false;
