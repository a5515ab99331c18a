-- Số đăng bộ: the number under which a school enters a learner in its register (sổ đăng bộ) on
-- admission, printed on the học bạ's cover. It belongs to the learner at that school and stays
-- for every year there, so it lives on the student row (which is already "this learner at this
-- school": a transfer opens a new row at the new school, which gives its own number) rather
-- than on the class enrolment, which changes every year. Unique within the school; many
-- schools have not entered theirs yet, so it may be empty.
alter table student add column register_number text check (register_number is null or (length(register_number) between 1 and 30 and register_number = btrim(register_number)));
create unique index student_register_number_uq on student (school_id, register_number) where register_number is not null;

-- The primary học bạ prints each subject's end-of-year comment (a primary grid's "ck_nx" of term
-- II); the same partial index as 0023 keeps a book from scanning every cell of its school.
create index gradebook_cell_primary_comment_idx on gradebook_cell (school_id, student_id) where column_key = 'ck_nx';
