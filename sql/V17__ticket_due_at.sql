-- The ticket's nearest SLA deadline, kept by the SLA engine, so the list sorts and filters by due time
-- (DESIGN §9) from an index instead of joining the timers of every ticket.
ALTER TABLE ticket ADD COLUMN due_at timestamptz;
CREATE INDEX ticket_due_idx ON ticket (due_at, seq) WHERE due_at IS NOT NULL;
