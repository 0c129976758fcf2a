-- The ticket list pages by (received_at, seq) in both directions; one index serves both orders.
DROP INDEX ticket_received_idx;
CREATE INDEX ticket_received_seq_idx ON ticket (received_at, seq);
