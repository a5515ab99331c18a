-- Miễn học (TT22/2021 Điều 11) underneath the API: a student exempt from a subject gets no new
-- mark, level or comment in that subject for the exempt term(s), whatever writes the row (the grid's
-- save, its .xlsx import, a script). The services refuse first with a Vietnamese message naming the
-- student; this is the guarantee below them, as gradebook_cell_refuse_locked is for a locked grid.
--
-- Only a value that changes is refused: clearing a cell stays possible, and a row written before the
-- exemption was recorded may still be touched without its value changing (the lock's bookkeeping).
-- The exemption is looked up by its key first (student, subject): almost every save finds none there
-- and never reads the class's year.
create function gradebook_cell_refuse_exempt() returns trigger language plpgsql as $$
begin
  if num_nonnulls(new.score_tenths, new.pass_fail, new.comment, new.subject_level) = 0 then
    return new;
  end if;
  if tg_op = 'UPDATE'
     and new.score_tenths is not distinct from old.score_tenths
     and new.pass_fail is not distinct from old.pass_fail
     and new.comment is not distinct from old.comment
     and new.subject_level is not distinct from old.subject_level then
    return new;
  end if;
  if exists (
    select 1
    from subject_exemption e
    join class c on c.school_id = e.school_id and c.id = new.class_id and c.year = e.year
    where e.school_id = new.school_id and e.student_id = new.student_id and e.subject_code = new.subject_code
      and (e.scope = 'cn' or e.scope = 'hk' || new.term)
  ) then
    raise exception 'subject_exempt' using errcode = 'P0001', detail = 'the student is exempt from this subject in this term';
  end if;
  return new;
end;
$$;

create trigger gradebook_cell_exempt
  before insert or update on gradebook_cell
  for each row execute function gradebook_cell_refuse_exempt();
