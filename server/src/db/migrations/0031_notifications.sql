-- The contact book's in-app inbox (issue 11): one row per person told about one thing (an
-- announcement, a message, a leave request's decision, published results). Written in the same
-- transaction as the thing itself, so an acknowledged announcement is in every inbox exactly once;
-- the other channels (Web Push, e-mail, a webhook) are delivered from it by background jobs.
--
-- Payload rule: title and body are what a lock screen may show, never a mark, a reason or a phone
-- number; the link opens the app, where access is checked again.
create table notification (
  id uuid primary key,
  user_id uuid not null references app_user (id) on delete cascade,
  -- The school the thing belongs to (null for an office's announcement to offices), and the child
  -- it is about when it is about one: the family portal groups a parent's inbox by child.
  school_id uuid references org_unit (id),
  student_id uuid,
  kind text not null check (kind in ('announcement', 'message', 'leave_request', 'leave_decision', 'results_published')),
  -- What it points at (an announcement, a thread, a leave request …), for "read" receipts and
  -- for withdrawing the notices of something taken back.
  source_id uuid not null,
  -- The notices one notify() call wrote together: the delivery job carries this id.
  batch_id uuid not null,
  title text not null check (length(title) between 1 and 200),
  body text not null default '' check (length(body) <= 500),
  link text not null check (link like '/%'),
  created_at timestamptz not null default now(),
  read_at timestamptz
);
create index notification_inbox_idx on notification (user_id, created_at desc);
create index notification_unread_idx on notification (user_id) where read_at is null;
create index notification_source_idx on notification (source_id);
create index notification_batch_idx on notification (batch_id);
