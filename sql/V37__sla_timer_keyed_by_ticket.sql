-- Issue 8: every timer is read by its ticket (sla_timer_ticket_round_idx: the ticket's timers, a round's timer
-- of a kind); its primary key on id alone served only the updates of timers just read, and was one more index
-- each timer wrote (three per intake, one more per changed timer: an update of the state or next_at is not HOT).
-- The primary key is now (ticket_id, round, kind, id): unique because id is, and the index the reads use; the
-- updates name the ticket along with the id. Nothing references a timer (sla_event names its kind).
CREATE UNIQUE INDEX sla_timer_key ON sla_timer (ticket_id, round, kind, id);
ALTER TABLE sla_timer DROP CONSTRAINT sla_timer_pkey;
ALTER TABLE sla_timer ADD CONSTRAINT sla_timer_pkey PRIMARY KEY USING INDEX sla_timer_key;
DROP INDEX sla_timer_ticket_round_idx;
