-- A supervision order is addressed to the lead department; when the ticket leaves it, the order is
-- superseded rather than left open forever.
ALTER TABLE supervision_order ADD COLUMN superseded_at timestamptz;
DROP INDEX supervision_order_open_idx;
CREATE INDEX supervision_order_open_idx ON supervision_order (department, respond_by)
    WHERE acknowledged_at IS NULL AND superseded_at IS NULL;
