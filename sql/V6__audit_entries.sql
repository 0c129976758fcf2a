-- Audit entries are written by request transactions without any lock; one chainer at a time hashes them
-- into audit_log in a final order, so audited requests no longer queue behind each other's commits.
CREATE TABLE audit_entry (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- the writing transaction: entries of transactions older than every running one are final, which is
    -- what lets the chainer take them in an order no late commit can change
    txid        xid8 NOT NULL DEFAULT pg_current_xact_id(),
    at          timestamptz NOT NULL,
    actor_sub   text,
    actor_role  text,
    actor_dept  text,
    action      text NOT NULL,
    ticket_id   uuid,
    detail      text NOT NULL
);

CREATE INDEX audit_entry_order_idx ON audit_entry (txid, id);
CREATE INDEX audit_entry_ticket_idx ON audit_entry (ticket_id) WHERE ticket_id IS NOT NULL;
CREATE INDEX audit_entry_action_idx ON audit_entry (action, at);

CREATE TRIGGER audit_entry_no_update BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- the chained copy names its entry; rows chained before this migration have none
ALTER TABLE audit_log ADD COLUMN entry_id bigint UNIQUE REFERENCES audit_entry(id);
