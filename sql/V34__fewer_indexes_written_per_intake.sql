-- Issue 8: an intake writes every index of ticket once and every index of sla_timer three times (one row per
-- timer). Three of them duplicate another index:
--
-- sla_timer_open_idx held the open timers by ticket; sla_timer_one_open (ticket_id, round, kind), under the
-- same predicate, answers the same lookups by its leading column, and the count of open timers.
DROP INDEX IF EXISTS sla_timer_open_idx;

-- ticket_received_seq_idx (the list's keyset order) and ticket_received_cell_idx (the hotspot and topic
-- scans of a time range, index-only through its INCLUDE columns) share their leading column: one index in
-- the list's order that carries the cell's columns serves both.
CREATE INDEX ticket_received_idx ON ticket (received_at, seq) INCLUDE (category, district, street, channel);
DROP INDEX IF EXISTS ticket_received_seq_idx;
DROP INDEX IF EXISTS ticket_received_cell_idx;

-- seq is GENERATED ALWAYS AS IDENTITY (nothing inserts it OVERRIDING SYSTEM VALUE), so the sequence already
-- makes it unique; no query looks a ticket up by seq alone, and the cursors read (received_at, seq) above.
ALTER TABLE ticket DROP CONSTRAINT IF EXISTS ticket_seq_key;
