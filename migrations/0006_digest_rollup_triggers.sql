-- Keeps the digest's daily rollups (0005) exact: any write that changes a rolled-up figure of a day
-- that may already be rolled up marks that day dirty in digest_dirty_days, and the digest recomputes
-- a dirty day before using it again (src/digest/rollups.ts).
--
-- Which days: a write marks its day when the day is before today (UTC, by the clock when it is
-- written). Hot-path writes (today's questions, lookups and answers, a ticket's status confirmed
-- seconds after it was filed) pay a date comparison in the trigger's WHEN clause and no function
-- call. Feedback and tickets are also attributed to their question's day, so each insert of one
-- calls a function, which looks its question up by primary key (the foreign key check has just
-- read the same row). A day is rolled up only once every write made while it was today has ended
-- (src/digest/rollups.ts says how that is known).
--
-- Why `on conflict do update` and not `do nothing`: the update takes the mark's row lock. A rollup
-- computation first deletes the day's mark, then reads the day in later statements (READ COMMITTED,
-- each sees what was committed when it started). A writer that marked the day before that delete
-- holds the row lock, so the delete waits for it to commit and the reads then see its rows (or,
-- when its mark was a fresh insert the delete cannot see yet, the mark survives the computation); a
-- writer that marks after the delete conflicts with the deleted, uncommitted row, waits for the
-- computation to commit, then inserts a new mark. Either the rollup includes the write, or the day
-- is left marked. `do nothing` takes no lock and would let a computation delete a mark whose rows it
-- then does not see.
CREATE FUNCTION digest_mark_day(d date) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  -- Marked already by this transaction, which then holds the row lock until it ends: nothing to add.
  -- (Spares a bulk load of old rows one update per row of the same mark.)
  PERFORM 1 FROM digest_dirty_days WHERE day = d AND xmin = pg_current_xact_id()::xid;
  IF FOUND THEN
    RETURN;
  END IF;
  INSERT INTO digest_dirty_days (day, marked_at) VALUES (d, clock_timestamp())
    ON CONFLICT (day) DO UPDATE SET marked_at = excluded.marked_at;
END
$$;
--> statement-breakpoint
-- The last day a write marks: yesterday (UTC), by the clock at the write.
CREATE FUNCTION digest_last_marked_day() RETURNS date LANGUAGE sql VOLATILE AS $$
  SELECT (clock_timestamp() AT TIME ZONE 'UTC')::date - 1
$$;
--> statement-breakpoint
CREATE FUNCTION digest_questions_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  last_marked date := digest_last_marked_day();
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND (OLD.created_at AT TIME ZONE 'UTC')::date <= last_marked THEN
    PERFORM digest_mark_day((OLD.created_at AT TIME ZONE 'UTC')::date);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND (NEW.created_at AT TIME ZONE 'UTC')::date <= last_marked THEN
    PERFORM digest_mark_day((NEW.created_at AT TIME ZONE 'UTC')::date);
  END IF;
  -- Lookups and tickets count for their question's workspace on their own day: a question moved
  -- to another workspace takes them along.
  IF TG_OP = 'UPDATE' AND NEW.team_id IS DISTINCT FROM OLD.team_id THEN
    PERFORM digest_mark_day(l.d)
      FROM (SELECT (created_at AT TIME ZONE 'UTC')::date AS d FROM lookups WHERE question_id = NEW.id
        UNION SELECT (created_at AT TIME ZONE 'UTC')::date FROM tickets WHERE question_id = NEW.id) l
      WHERE l.d <= last_marked;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER digest_questions_inserted AFTER INSERT ON questions FOR EACH ROW
  WHEN ((NEW.created_at AT TIME ZONE 'UTC')::date < (clock_timestamp() AT TIME ZONE 'UTC')::date)
  EXECUTE FUNCTION digest_questions_changed();
--> statement-breakpoint
CREATE TRIGGER digest_questions_updated
  AFTER UPDATE OF created_at, team_id, entry_point, category, answer_ms, found, fingerprint, text, channel_kind
  ON questions FOR EACH ROW
  WHEN ((OLD.created_at AT TIME ZONE 'UTC')::date < (clock_timestamp() AT TIME ZONE 'UTC')::date
    OR (NEW.created_at AT TIME ZONE 'UTC')::date < (clock_timestamp() AT TIME ZONE 'UTC')::date
    OR NEW.team_id IS DISTINCT FROM OLD.team_id)
  EXECUTE FUNCTION digest_questions_changed();
--> statement-breakpoint
CREATE TRIGGER digest_questions_deleted AFTER DELETE ON questions FOR EACH ROW
  WHEN ((OLD.created_at AT TIME ZONE 'UTC')::date < (clock_timestamp() AT TIME ZONE 'UTC')::date)
  EXECUTE FUNCTION digest_questions_changed();
--> statement-breakpoint
-- Lookups count on their own day.
CREATE FUNCTION digest_lookups_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  last_marked date := digest_last_marked_day();
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND (OLD.created_at AT TIME ZONE 'UTC')::date <= last_marked THEN
    PERFORM digest_mark_day((OLD.created_at AT TIME ZONE 'UTC')::date);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND (NEW.created_at AT TIME ZONE 'UTC')::date <= last_marked THEN
    PERFORM digest_mark_day((NEW.created_at AT TIME ZONE 'UTC')::date);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER digest_lookups_inserted AFTER INSERT ON lookups FOR EACH ROW
  WHEN ((NEW.created_at AT TIME ZONE 'UTC')::date < (clock_timestamp() AT TIME ZONE 'UTC')::date)
  EXECUTE FUNCTION digest_lookups_changed();
--> statement-breakpoint
CREATE TRIGGER digest_lookups_updated
  AFTER UPDATE OF created_at, question_id, source, status, hits, latency_ms ON lookups FOR EACH ROW
  WHEN ((OLD.created_at AT TIME ZONE 'UTC')::date < (clock_timestamp() AT TIME ZONE 'UTC')::date
    OR (NEW.created_at AT TIME ZONE 'UTC')::date < (clock_timestamp() AT TIME ZONE 'UTC')::date)
  EXECUTE FUNCTION digest_lookups_changed();
--> statement-breakpoint
CREATE TRIGGER digest_lookups_deleted AFTER DELETE ON lookups FOR EACH ROW
  WHEN ((OLD.created_at AT TIME ZONE 'UTC')::date < (clock_timestamp() AT TIME ZONE 'UTC')::date)
  EXECUTE FUNCTION digest_lookups_changed();
--> statement-breakpoint
-- Feedback counts on its question's day (deflected, not helpful, knowledge gaps); a ticket both on
-- its question's day (deflected: whether the question has a ticket) and on its own (the tickets by
-- status, reason and priority). Each insert looks its question up by primary key.
CREATE FUNCTION digest_mark_question_day(question uuid) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  asked date;
BEGIN
  SELECT (created_at AT TIME ZONE 'UTC')::date INTO asked FROM questions WHERE id = question;
  -- Not found when the question itself is being deleted: its own trigger marks its day.
  IF FOUND AND asked <= digest_last_marked_day() THEN
    PERFORM digest_mark_day(asked);
  END IF;
END
$$;
--> statement-breakpoint
CREATE FUNCTION digest_feedback_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM digest_mark_question_day(OLD.question_id);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM digest_mark_question_day(NEW.question_id);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER digest_feedback_written AFTER INSERT OR DELETE ON feedback FOR EACH ROW
  EXECUTE FUNCTION digest_feedback_changed();
--> statement-breakpoint
CREATE TRIGGER digest_feedback_updated AFTER UPDATE OF question_id, kind ON feedback FOR EACH ROW
  WHEN (OLD.question_id IS DISTINCT FROM NEW.question_id OR OLD.kind IS DISTINCT FROM NEW.kind)
  EXECUTE FUNCTION digest_feedback_changed();
--> statement-breakpoint
CREATE FUNCTION digest_tickets_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  last_marked date := digest_last_marked_day();
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND (OLD.created_at AT TIME ZONE 'UTC')::date <= last_marked THEN
    PERFORM digest_mark_day((OLD.created_at AT TIME ZONE 'UTC')::date);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND (NEW.created_at AT TIME ZONE 'UTC')::date <= last_marked THEN
    PERFORM digest_mark_day((NEW.created_at AT TIME ZONE 'UTC')::date);
  END IF;
  IF TG_OP = 'INSERT' THEN
    PERFORM digest_mark_question_day(NEW.question_id);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM digest_mark_question_day(OLD.question_id);
  ELSIF OLD.question_id IS DISTINCT FROM NEW.question_id THEN
    PERFORM digest_mark_question_day(OLD.question_id);
    PERFORM digest_mark_question_day(NEW.question_id);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER digest_tickets_written AFTER INSERT OR DELETE ON tickets FOR EACH ROW
  EXECUTE FUNCTION digest_tickets_changed();
--> statement-breakpoint
-- A ticket's status changes as the desk confirms it (seconds after it is filed, so today: only the
-- WHEN clause's comparison), or days later for a retried or failed one (its day is marked).
CREATE TRIGGER digest_tickets_updated AFTER UPDATE OF created_at, question_id, status, reason, priority
  ON tickets FOR EACH ROW
  WHEN ((OLD.created_at AT TIME ZONE 'UTC')::date < (clock_timestamp() AT TIME ZONE 'UTC')::date
    OR (NEW.created_at AT TIME ZONE 'UTC')::date < (clock_timestamp() AT TIME ZONE 'UTC')::date
    OR OLD.question_id IS DISTINCT FROM NEW.question_id)
  EXECUTE FUNCTION digest_tickets_changed();
--> statement-breakpoint
-- A truncated table takes every rollup with it (TRUNCATE fires no row triggers). It waits for the
-- table's lock, so for any rollup computation reading the table to commit first.
CREATE FUNCTION digest_forget_rollups() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM digest_days;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER digest_questions_truncated AFTER TRUNCATE ON questions FOR EACH STATEMENT
  EXECUTE FUNCTION digest_forget_rollups();
--> statement-breakpoint
CREATE TRIGGER digest_lookups_truncated AFTER TRUNCATE ON lookups FOR EACH STATEMENT
  EXECUTE FUNCTION digest_forget_rollups();
--> statement-breakpoint
CREATE TRIGGER digest_feedback_truncated AFTER TRUNCATE ON feedback FOR EACH STATEMENT
  EXECUTE FUNCTION digest_forget_rollups();
--> statement-breakpoint
CREATE TRIGGER digest_tickets_truncated AFTER TRUNCATE ON tickets FOR EACH STATEMENT
  EXECUTE FUNCTION digest_forget_rollups();
