-- Two-sided school transfer (chuyển trường): the receiving school asks for a learner (kind
-- 'request', đề nghị tiếp nhận) or the sending school issues a transfer letter (kind 'issue',
-- giấy giới thiệu chuyển trường); the other side decides. The learner's record moves only when
-- the transfer completes (docs/decisions/0009-two-sided-transfer.md).
--
-- Tenancy: a transfer concerns two schools, so it is stored as TWO rows with the same id, one in
-- each school's tenant (school_id = the sending school, and school_id = the receiving school).
-- Each school lists its transfers from its own rows; every state change updates both rows in the
-- transaction that makes it (the completing one also writes both schools' student records).
create table school_transfer (
  school_id uuid not null,       -- the tenant this copy belongs to: from_school_id or to_school_id
  id uuid not null,              -- the same in both copies
  kind text not null check (kind in ('request', 'issue')),
  status text not null default 'pending' check (status in ('pending', 'completed', 'declined', 'cancelled')),
  from_school_id uuid not null references org_unit (id),
  to_school_id uuid not null references org_unit (id),
  -- The learner's record at the sending school. No foreign key: in the receiving school's copy
  -- the record lives in the other tenant (as with accounts, the service checks the link).
  from_student_id uuid not null,
  person_id uuid not null,
  to_class_id uuid,              -- the receiving school's class; an issued transfer gets it on acceptance
  effective_date date not null,
  note text,                     -- the initiating school's note, shown to both sides
  created_by uuid not null,
  created_at timestamptz not null default now(),
  decided_by uuid,
  decided_at timestamptz,        -- approved / accepted / declined / cancelled
  decision_reason text,          -- required when declined; optional when cancelled
  to_student_id uuid,            -- the new record at the receiving school, once completed
  primary key (school_id, id),
  check (school_id = from_school_id or school_id = to_school_id),
  check (from_school_id <> to_school_id),
  check ((status = 'pending') = (decided_at is null)),
  check ((status = 'completed') = (to_student_id is not null)),
  check (status <> 'declined' or decision_reason is not null),
  check (kind = 'issue' or to_class_id is not null),
  check (status <> 'completed' or to_class_id is not null)
);
-- At most one open transfer per learner record, enforced on the sending school's copy.
create unique index school_transfer_one_pending_uq on school_transfer (school_id, from_student_id)
  where status = 'pending' and school_id = from_school_id;
create index school_transfer_list_idx on school_transfer (school_id, status, created_at desc);
create index school_transfer_person_idx on school_transfer (person_id);
