-- Handling workflow: what the state machine needs between requests, the requests waiting for a decision,
-- supervision orders, and the granted facts (extensions, suspensions) the SLA engine will apply.

ALTER TABLE ticket
    ADD COLUMN signed_at                 timestamptz,
    ADD COLUMN first_contact_at          timestamptz,
    ADD COLUMN suspended_at              timestamptz,
    -- total extension granted in the current assignment, measured in the clock of the cap
    ADD COLUMN granted_extension_seconds bigint NOT NULL DEFAULT 0,
    ADD COLUMN merged_into               uuid REFERENCES ticket(id),
    ADD COLUMN unreasonable              boolean NOT NULL DEFAULT false,
    ADD COLUMN dispatch_count            integer NOT NULL DEFAULT 0,
    ADD COLUMN replied_at                timestamptz,
    ADD COLUMN reply_outcome             text CHECK (reply_outcome IN ('RESOLVED','PARTIALLY_RESOLVED','UNRESOLVED','EXPLAINED')),
    ADD COLUMN reply_finding             text CHECK (reply_finding IN ('SUBSTANTIATED','UNSUBSTANTIATED','NOT_DETERMINED')),
    ADD COLUMN callback_resolved         boolean,
    ADD COLUMN callback_satisfaction     text CHECK (callback_satisfaction IN ('SATISFIED','BASICALLY_SATISFIED','UNSATISFIED')),
    ADD COLUMN closed_at                 timestamptz,
    ADD COLUMN answered_by               text CHECK (answered_by IN ('HOTLINE')),
    ADD COLUMN knowledge_article_id      uuid REFERENCES knowledge_article(id);

-- tickets dispatched at intake were dispatched once
UPDATE ticket SET dispatch_count = 1 WHERE dispatched_at IS NOT NULL;

CREATE INDEX ticket_merged_into_idx ON ticket (merged_into) WHERE merged_into IS NOT NULL;

CREATE TABLE ticket_request (
    id                   uuid PRIMARY KEY,
    ticket_id            uuid NOT NULL REFERENCES ticket(id),
    kind                 text NOT NULL CHECK (kind IN ('RETURN','EXTENSION','SUSPENSION')),
    round                integer NOT NULL,
    status               text NOT NULL CHECK (status IN ('PENDING','APPROVED','REJECTED','WITHDRAWN')),
    requested_by         text NOT NULL,
    requested_by_sub     text NOT NULL,
    requested_at         timestamptz NOT NULL,
    reason               text NOT NULL,
    suggested_department text REFERENCES department(code),
    until                timestamptz,
    length_seconds       bigint,
    decided_at           timestamptz,
    decided_by_sub       text,
    decision_reason      text
);

-- at most one request of each kind waits for a decision
CREATE UNIQUE INDEX ticket_request_one_pending ON ticket_request (ticket_id, kind) WHERE status = 'PENDING';
CREATE INDEX ticket_request_pending_idx ON ticket_request (kind, requested_at) WHERE status = 'PENDING';

CREATE TABLE supervision_order (
    id               uuid PRIMARY KEY,
    ticket_id        uuid NOT NULL REFERENCES ticket(id),
    round            integer NOT NULL,
    department       text NOT NULL REFERENCES department(code),
    instruction      text NOT NULL,
    respond_by       timestamptz NOT NULL,
    ordered_by       text NOT NULL,
    ordered_at       timestamptz NOT NULL,
    acknowledged_at  timestamptz,
    acknowledged_by  text
);

CREATE INDEX supervision_order_ticket_idx ON supervision_order (ticket_id);
CREATE INDEX supervision_order_open_idx ON supervision_order (department, respond_by) WHERE acknowledged_at IS NULL;

-- Granted facts the SLA engine applies: an extension moves the RESOLVE deadline; a suspension pauses the
-- clocks from starts_at until ends_at (open while suspended).
CREATE TABLE handling_fact (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id       uuid NOT NULL REFERENCES ticket(id),
    round           integer NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('EXTENSION','SUSPENSION')),
    request_id      uuid REFERENCES ticket_request(id),
    granted_at      timestamptz NOT NULL,
    starts_at       timestamptz NOT NULL,
    ends_at         timestamptz,
    length_seconds  bigint
);

CREATE INDEX handling_fact_ticket_idx ON handling_fact (ticket_id, round);
CREATE UNIQUE INDEX handling_fact_one_open_suspension ON handling_fact (ticket_id) WHERE kind = 'SUSPENSION' AND ends_at IS NULL;
