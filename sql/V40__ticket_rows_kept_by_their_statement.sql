-- Issue 8. A ticket is a record: closed and merged tickets stay, and nothing deletes one. The database now
-- refuses DELETE and TRUNCATE of ticket, as it refuses them for the audit trail (V1, V6).
--
-- The rows written for a ticket by its own statement (its events, SLA timers, scorecard round and
-- similarity terms) are inserted only joined to the ticket that statement inserted or locked: the intake's
-- CTEs join `ins`, an action's rows name the ticket its statement locked. Since a ticket cannot go, those
-- rows cannot lose it, and their foreign keys to ticket checked nothing this does not already hold. They
-- had a cost: per inserted row a lookup through SPI and a key-share lock on the ticket row. `perf` of the
-- backends under intake load put all foreign-key checks at 12% of their CPU; pg_stat_statements put what
-- these keys cost at 0.008 ms an intake in its statement, 0.038 ms an action and 0.014 ms an audit entry
-- chained (README "Measured").
--
-- Likewise audit_log.entry_id: audit_entry is append-only (V6: UPDATE, DELETE and TRUNCATE refused), so
-- the entry a chained row names cannot go; the column stays UNIQUE (an entry is chained once) and the
-- verifier recomputes every chained row's hash from its entry.
--
-- A table partitioned by time for long retention (DESIGN) could not be the target of a key on id alone.
-- Keys from tables written elsewhere (requests, callbacks, SLA events, task links) and to departments stay.

CREATE FUNCTION ticket_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a ticket is a record and is never deleted: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER ticket_no_delete BEFORE DELETE ON ticket
    FOR EACH ROW EXECUTE FUNCTION ticket_kept();
CREATE TRIGGER ticket_no_truncate BEFORE TRUNCATE ON ticket
    FOR EACH STATEMENT EXECUTE FUNCTION ticket_kept();

ALTER TABLE ticket_event DROP CONSTRAINT ticket_event_ticket_id_fkey;
ALTER TABLE sla_timer DROP CONSTRAINT sla_timer_ticket_id_fkey;
ALTER TABLE scorecard_round DROP CONSTRAINT scorecard_round_ticket_id_fkey;
ALTER TABLE insight_ticket_terms DROP CONSTRAINT insight_ticket_terms_ticket_id_fkey;
ALTER TABLE audit_log DROP CONSTRAINT audit_log_entry_id_fkey;
