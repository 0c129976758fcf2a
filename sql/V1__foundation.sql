-- Foundation: departments, tickets with their timeline, and the hash-chained audit log.

CREATE TABLE department (
    code        text PRIMARY KEY CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    name        text NOT NULL,
    dept_group  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ticket (
    id                    uuid PRIMARY KEY,
    -- seq orders the ticket list stably and makes a cheap cursor
    seq                   bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    external_id           text NOT NULL UNIQUE,
    -- hash of the normalised intake payload: the same externalId with another payload is a conflict
    intake_hash           text NOT NULL,
    type                  text NOT NULL CHECK (type IN ('CONSULTATION','HELP','COMPLAINT','REPORT','SUGGESTION')),
    urgency               text NOT NULL CHECK (urgency IN ('NORMAL','URGENT','CRITICAL')),
    category              text NOT NULL,
    title                 text NOT NULL,
    content               text NOT NULL,
    received_at           timestamptz NOT NULL,
    caller_name           text,
    caller_phone          text,
    caller_confidential   boolean NOT NULL DEFAULT false,
    district              text,
    street                text,
    address               text,
    lat                   double precision,
    lon                   double precision,
    subject_credit_code   text,
    subject_name          text,
    status                text NOT NULL CHECK (status IN ('RECEIVED','DISPATCHED','SIGNED','SUSPENDED','REPLIED','CLOSED','MERGED')),
    round                 integer NOT NULL DEFAULT 1 CHECK (round >= 1),
    lead_department       text REFERENCES department(code),
    assisting_departments text[] NOT NULL DEFAULT '{}',
    dispatched_at         timestamptz,
    -- optimistic concurrency: the ETag of a ticket
    version               integer NOT NULL DEFAULT 1,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL
);

CREATE INDEX ticket_status_idx ON ticket (status, seq);
CREATE INDEX ticket_lead_idx ON ticket (lead_department, seq);
CREATE INDEX ticket_assisting_idx ON ticket USING gin (assisting_departments);
CREATE INDEX ticket_received_idx ON ticket (received_at);
CREATE INDEX ticket_subject_idx ON ticket (subject_credit_code) WHERE subject_credit_code IS NOT NULL;

CREATE TABLE ticket_event (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id   uuid NOT NULL REFERENCES ticket(id),
    round       integer NOT NULL,
    type        text NOT NULL,
    at          timestamptz NOT NULL,
    actor_sub   text NOT NULL,
    actor_role  text NOT NULL,
    actor_dept  text,
    details     jsonb NOT NULL DEFAULT '{}'::jsonb
);

CREATE INDEX ticket_event_ticket_idx ON ticket_event (ticket_id, id);

-- The audit log is append-only. Each row carries the hash of the previous row; the application computes
-- hashes under an advisory lock so the chain is a single line even with several replicas.
CREATE TABLE audit_log (
    seq         bigint PRIMARY KEY,
    at          timestamptz NOT NULL,
    actor_sub   text,
    actor_role  text,
    actor_dept  text,
    action      text NOT NULL,
    ticket_id   uuid,
    -- kept as text, byte for byte what was hashed (jsonb would reorder keys)
    detail      text NOT NULL,
    prev_hash   text NOT NULL,
    hash        text NOT NULL
);

CREATE INDEX audit_log_ticket_idx ON audit_log (ticket_id) WHERE ticket_id IS NOT NULL;

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
