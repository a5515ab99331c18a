-- One issuer of temporary learner codes ("TMP-<school code>-000123") for the admission form and
-- the import: a counter per school and prefix (the prefix follows the school's code, which can
-- change). Before, each admission took a school-wide lock and sorted the school's codes to find
-- the next number, and the import counted on its own, without the lock. A counter row is created
-- on first use from the highest number already in use with that prefix.
create table temp_code_counter (
  school_id uuid not null,
  prefix text not null,
  last_seq bigint not null,
  primary key (school_id, prefix)
);
