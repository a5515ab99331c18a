-- Background jobs on the database itself, the same on PGlite and PostgreSQL (platform/jobs.ts):
-- a batch of học bạ, the close of every school below an office; later the contact book's
-- deliveries. A process claims a queued job with FOR UPDATE SKIP LOCKED, keeps a heartbeat while
-- it runs, and a job whose heartbeat stopped (its process died) is claimed again.
create table background_job (
  id uuid primary key,
  kind text not null check (kind ~ '^[a-z_]{1,40}$'),
  org_unit_id uuid not null references org_unit (id),
  params jsonb not null default '{}',
  state text not null default 'queued' check (state in ('queued', 'running', 'done', 'failed')),
  attempts integer not null default 0,
  max_attempts integer not null default 3 check (max_attempts between 1 and 20),
  run_after timestamptz not null default now(),
  heartbeat_at timestamptz,
  progress_done integer not null default 0,
  progress_total integer not null default 0,
  progress_text text,
  result jsonb,
  error text,
  created_by uuid references app_user (id),
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
create index background_job_queue_idx on background_job (run_after) where state in ('queued', 'running');
create index background_job_unit_idx on background_job (org_unit_id, created_at desc);

-- The files a job makes (one học bạ PDF per row), served together as one .zip.
create table background_job_file (
  job_id uuid not null references background_job (id) on delete cascade,
  seq integer not null,
  name text not null,
  body bytea not null,
  primary key (job_id, seq)
);
