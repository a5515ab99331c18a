-- A student's cells of a year, as the family portal reads them (publication.repo.ts
-- listPublishedCells): the primary key starts with the class and subject, so the query read every
-- cell of the school to find one student's (4.9 ms a parent on the report-card evening, the
-- database's largest cost: bench/family.bench.ts). A mark changing is an update of columns no
-- index holds, so saving marks keeps it as it is; only a cell's first entry adds to it.
create index gradebook_cell_student_idx on gradebook_cell (school_id, student_id);
