-- The audit hash now covers entry_id (nulling it made an altered entry pass as "not chained yet"); rows keep the hash version they were chained with.
-- (Numbered 8.3: versions 7 and 8 were already taken when this was written.) Existing rows are version 1
-- and verify as before; the chainer writes version 2 from now on (see AuditChain), and the verifier
-- refuses a version that goes down along the chain.
ALTER TABLE audit_log ADD COLUMN hash_version smallint NOT NULL DEFAULT 1;
ALTER TABLE audit_log ALTER COLUMN hash_version DROP DEFAULT;

-- the audit-log API filters by actor and action in chain order
CREATE INDEX audit_log_actor_idx ON audit_log (actor_sub, seq);
CREATE INDEX audit_log_action_idx ON audit_log (action, seq);
CREATE INDEX audit_log_at_idx ON audit_log (at);
