-- An import job's unchanged rows and warnings get columns of their own, beside created_rows,
-- updated_rows and error_count. The unchanged count was kept as a made-up row-0 item of the
-- issue list (severity 'info'), and the warnings were counted from that list, which keeps at
-- most 10,000 issues: warning_count is the true total, as error_count is.
alter table import_job add column unchanged_rows integer not null default 0;
alter table import_job add column warning_count integer not null default 0;

-- Jobs written before: the count moves out of the list, and the warnings the list kept are counted.
update import_job j
set
  unchanged_rows = coalesce((
    select case when e ->> 'value' ~ '^[0-9]{1,9}$' then (e ->> 'value')::integer else 0 end
    from jsonb_array_elements(j.errors) as e
    where e ->> 'severity' = 'info' and e ->> 'column' = 'unchanged'
    limit 1
  ), 0),
  warning_count = (select count(*) from jsonb_array_elements(j.errors) as e where e ->> 'severity' = 'warning'),
  errors = coalesce((
    select jsonb_agg(x.e order by x.n)
    from jsonb_array_elements(j.errors) with ordinality as x (e, n)
    where x.e ->> 'severity' is distinct from 'info'
  ), '[]'::jsonb)
where jsonb_typeof(j.errors) = 'array' and jsonb_array_length(j.errors) > 0;
