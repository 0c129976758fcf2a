-- Issue 8: ticket_event is only ever read by ticket (a ticket's timeline, in id order: ticket_id = $1 AND
-- id > $2 ORDER BY id), through ticket_event_ticket_idx (ticket_id, id). Its primary key on id alone was a
-- second index that no query reads and every event wrote (two per intake). The primary key is now
-- (ticket_id, id): unique because id is, and the very index the timeline reads. Nothing references an event.
CREATE UNIQUE INDEX ticket_event_key ON ticket_event (ticket_id, id);
ALTER TABLE ticket_event DROP CONSTRAINT ticket_event_pkey;
ALTER TABLE ticket_event ADD CONSTRAINT ticket_event_pkey PRIMARY KEY USING INDEX ticket_event_key;
DROP INDEX ticket_event_ticket_idx;
