-- Sign-in throttling (docs/decisions/0010-login-throttling.md). Everything is keyed by the user
-- name as typed (trimmed, lower-cased), whether or not an account has it: known and unknown names
-- are counted, locked and answered alike, so a stranger cannot learn which names exist. Kept in the
-- database so that a restart does not forget a lock and every process (`--workers N`) sees it.

-- Password checks per (user name, client). A client is an address (an IPv6 address by its /64), a
-- browser that has signed in to this account before ('device:…'), or 'password-change' for the
-- change-password form of a signed-in account. An attempt is counted before the password check.
create table login_attempt (
  username text not null,
  client text not null,
  attempts integer not null check (attempts >= 0),
  locked_until timestamptz,
  last_attempt_at timestamptz not null default now(),
  primary key (username, client)
);
create index login_attempt_stale_idx on login_attempt (last_attempt_at);

-- Per user name, over every client that is not a known browser of the account: attempts in a
-- window, and a back-off that grows each time the window fills up (reset by a successful sign-in).
create table login_backoff (
  username text primary key,
  window_started_at timestamptz not null,
  attempts integer not null check (attempts >= 0),
  level integer not null default 0,
  locked_until timestamptz
);

-- Browsers that signed in successfully to an account (OWASP "device cookie": only the SHA-256 of
-- the cookie is stored). Their sign-ins are exempt from the per-account back-off, so an attack from
-- many addresses cannot lock the owner out.
create table login_device (
  token_hash text not null,
  user_id uuid not null references app_user (id) on delete cascade,
  created_at timestamptz not null default now(),
  last_used_at timestamptz not null default now(),
  primary key (token_hash, user_id)
);
create index login_device_user_idx on login_device (user_id, last_used_at desc);

-- Events about an account (locks, password changes, resets) belong to every unit that holds one of
-- its grants at the time: the audit viewer shows them there (admin-audit.service.ts).
alter table audit_log add column subject_unit_ids uuid[];
create index audit_log_subject_units_idx on audit_log using gin (subject_unit_ids);
