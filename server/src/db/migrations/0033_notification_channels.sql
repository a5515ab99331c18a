-- The contact book's channels beyond the inbox (issue 11): Web Push, e-mail, a province's webhook.
-- The inbox row (notification, 0031) is written in the sender's transaction; each other channel
-- gets one delivery row per notice, written by the delivery job before it sends anything, so a
-- notice is carried on a channel at most once per attempt and a restart finds what was left.

-- Who sent a notice (notify()'s createdBy; null when the system did): their failure list.
alter table notification add column sent_by uuid references app_user (id) on delete set null;
create index notification_sent_by_idx on notification (sent_by, created_at desc) where sent_by is not null;

-- What each person wants. No row: the defaults (push on the devices they subscribed, the webhook
-- when their province has one, no e-mail until they give an address).
create table notification_preference (
  user_id uuid primary key references app_user (id) on delete cascade,
  push boolean not null default true,
  email boolean not null default false,
  email_address text check (email_address is null or (length(email_address) <= 254 and email_address ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$')),
  -- One e-mail a day with the day's unread notices instead of one per notice.
  email_digest boolean not null default false,
  webhook boolean not null default true,
  updated_at timestamptz not null default now(),
  check (not email or email_address is not null)
);

-- A browser (phone, computer) that accepted Web Push for a person: its push service endpoint and
-- keys (RFC 8291). Gone (404/410 from the push service) → deleted.
create table push_subscription (
  id uuid primary key,
  user_id uuid not null references app_user (id) on delete cascade,
  endpoint text not null unique check (endpoint like 'https://%' or endpoint like 'http://%'),
  p256dh text not null check (length(p256dh) between 20 and 200),
  auth text not null check (length(auth) between 8 and 100),
  device text not null default '' check (length(device) <= 200),
  created_at timestamptz not null default now()
);
create index push_subscription_user_idx on push_subscription (user_id);

-- A province's (or any unit's) outbound webhook: a Zalo OA or SMS gateway connects here. The
-- nearest unit above a notice's school that has one carries it; the environment's
-- (TRUONGSO_WEBHOOK_URL) carries the rest. `with_contact`: the body also holds the recipient's
-- phone and e-mail on record, which an SMS gateway needs and a Zalo OA may not.
create table notification_webhook (
  org_unit_id uuid primary key references org_unit (id),
  url text not null check (url like 'https://%' or url like 'http://%'),
  secret text not null check (length(secret) >= 16),
  with_contact boolean not null default false,
  updated_at timestamptz not null default now()
);

-- One notice on one channel. pending → sending → sent; a failed send goes back to pending with a
-- later next_attempt_at, and to failed after the last attempt (the sender's failure list, where
-- "gửi lại" puts it back to pending). 'sending' is written (and committed) before the send with
-- the message id the channel carries (e-mail Message-ID, webhook X-TruongSo-Delivery, push topic),
-- so a send interrupted by a crash is repeated with the same id and the receiver can drop it.
create table notification_delivery (
  notification_id uuid not null references notification (id) on delete cascade,
  channel text not null check (channel in ('push', 'email', 'webhook')),
  status text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'failed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  message_id text not null,
  sent_at timestamptz,
  primary key (notification_id, channel)
);
create index notification_delivery_failed_idx on notification_delivery (notification_id) where status = 'failed';

-- The daily digest: one row per person and Vietnam day once its e-mail is out (or being sent).
create table notification_digest (
  user_id uuid not null references app_user (id) on delete cascade,
  day date not null,
  status text not null check (status in ('sending', 'sent')),
  message_id text not null,
  notices integer not null,
  sent_at timestamptz,
  primary key (user_id, day)
);

-- Keys the server makes once and keeps: the VAPID key pair of Web Push.
create table server_key (
  name text primary key check (name ~ '^[a-z_]{1,40}$'),
  value jsonb not null,
  created_at timestamptz not null default now()
);

-- "Gửi thử": a person sends a notice to themself over their own channels from the settings page.
alter table notification drop constraint notification_kind_check;
alter table notification add constraint notification_kind_check
  check (kind in ('announcement', 'message', 'leave_request', 'leave_decision', 'results_published', 'test'));
