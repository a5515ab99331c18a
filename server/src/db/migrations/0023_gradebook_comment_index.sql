-- A student's comments (the "nx" cells) across their classes, as the học bạ reads them: the cells'
-- primary key starts with the class and subject, so without this a book scanned every cell of its
-- school (288,000 in the demo's largest) to find a dozen comments. Partial: only comment cells,
-- so the everyday save of marks does not maintain it.
create index gradebook_cell_comment_idx on gradebook_cell (school_id, student_id) where column_key = 'nx';
