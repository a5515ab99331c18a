-- Issue 8. Two changes to the stored name columns of student and staff.
--
-- 1. Class-list order (docs/decisions/0002): name_sort_key now compares tên whole (letters, then
--    tones), then đệm, then họ, as schools sort in Excel. The key is computed by domain/names, not
--    by SQL, so this migration only records which format the stored keys have; at start the server
--    recomputes every key when the format it computes is newer (server/src/db/name-keys.ts). No
--    row means format 1 (every database from before this migration). The row is written only once
--    there are names, so a new database stays empty for a restore; a restored backup brings its
--    own row, or none, and its keys are recomputed at the next start if they are older.
create table name_key_version (
  id boolean primary key default true check (id), -- one row
  version integer not null
);

-- 2. Word-start search: each word typed must start a word of the name ("yen" finds "Yến", not
--    "Nguyễn"). The query tests `' ' || translate(search_text, '''-.', '   ') like '% yen%'`
--    (hyphens, apostrophes and dots separate words too), and this index is on that exact
--    expression: pg_trgm extracts word-start trigrams ("  y", " ye", "yen") from such a pattern.
--    It replaces the index on the bare column, which only served substring search.
drop index student_search_trgm_idx;
create index student_name_words_trgm_idx on student
  using gin ((' ' || translate(search_text, '''-.', '   ')) gin_trgm_ops);
