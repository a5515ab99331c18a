-- The term averages of all subjects (điểm trung bình các môn học kì I, học kì II) a TT58 học bạ
-- records beside the year's, brought in when the old record has them (legacy-results-import.ts).
-- Optional and shown as recorded: the học lực, promotion and title stay recomputed from the
-- year's subject averages (Thông tư 58/2011 Điều 13 ranks the year), never from these.
alter table legacy_result add column average_term1_tenths integer check (average_term1_tenths between 0 and 100);
alter table legacy_result add column average_term2_tenths integer check (average_term2_tenths between 0 and 100);
