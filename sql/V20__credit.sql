-- Credit-based graded supervision (DESIGN §6, issue 10): regulated entities, their credit events, the
-- complaints tickets name them in, the inspector register, and commit-reveal draws with their inspections.

CREATE TABLE credit_entity (
    credit_code  text PRIMARY KEY CHECK (credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
    name         text NOT NULL,
    kind         text NOT NULL,
    district     text,
    -- UNVERIFIED: first named by a ticket, not yet confirmed by an inspector or administrator
    status       text NOT NULL CHECK (status IN ('VERIFIED','UNVERIFIED')),
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);
CREATE INDEX credit_entity_kind_idx ON credit_entity (kind, credit_code);

CREATE TABLE credit_event (
    id            uuid PRIMARY KEY,
    credit_code   text NOT NULL REFERENCES credit_entity (credit_code),
    kind          text NOT NULL CHECK (kind IN ('ABNORMAL_LIST','ABNORMAL_LIST_REMOVED','MINOR_PENALTY',
                      'GENERAL_PENALTY','SERIOUS_PENALTY','SERIOUS_VIOLATION_LIST','SERIOUS_VIOLATION_LIST_REMOVED',
                      'SUBSTANTIATED_COMPLAINT','COMMENDATION','REPAIR')),
    effective_at  timestamptz NOT NULL,
    points        integer CHECK (points BETWEEN 1 AND 10),
    repairs       uuid REFERENCES credit_event (id),
    note          text,
    -- who or what created it: the inspector's subject, ticket:<id>, draw:<id>
    source        text NOT NULL,
    -- one substantiated-complaint event per ticket, however many times it is replied
    ticket_id     uuid UNIQUE,
    recorded_at   timestamptz NOT NULL,
    CHECK ((kind = 'COMMENDATION') = (points IS NOT NULL)),
    CHECK ((kind = 'REPAIR') = (repairs IS NOT NULL))
);
CREATE INDEX credit_event_entity_idx ON credit_event (credit_code, effective_at);
-- a deduction is repaired at most once
CREATE UNIQUE INDEX credit_event_repairs_idx ON credit_event (repairs) WHERE repairs IS NOT NULL;

-- Complaints and reports naming an entity, as the ticket feed saw them: the unverified ones flag targeted checks.
CREATE TABLE credit_complaint (
    ticket_id    uuid PRIMARY KEY,
    credit_code  text NOT NULL REFERENCES credit_entity (credit_code),
    received_at  timestamptz NOT NULL,
    finding      text CHECK (finding IN ('SUBSTANTIATED','UNSUBSTANTIATED','NOT_DETERMINED')),
    finding_at   timestamptz,
    -- merged into another ticket, or marked unreasonable: from then on not a complaint of its own
    withdrawn_at timestamptz
);
CREATE INDEX credit_complaint_entity_idx ON credit_complaint (credit_code, received_at);

CREATE TABLE inspector (
    id          text PRIMARY KEY,
    name        text NOT NULL,
    district    text NOT NULL,
    conflicts   text[] NOT NULL DEFAULT '{}',
    updated_at  timestamptz NOT NULL
);

CREATE TABLE draw (
    id                     uuid PRIMARY KEY,
    kind                   text,
    district               text,
    ratios                 jsonb NOT NULL,
    inspectors_per_entity  integer NOT NULL CHECK (inspectors_per_entity >= 1),
    randomness_source      text NOT NULL,
    secret                 text NOT NULL,
    commitment             text NOT NULL,
    -- frozen at creation: [{creditCode, grade, flagged}] and [{id, conflicts}]
    candidates             jsonb NOT NULL,
    inspectors             jsonb NOT NULL,
    created_by             text NOT NULL,
    created_at             timestamptz NOT NULL,
    public_randomness      text,
    selection              jsonb,
    executed_at            timestamptz,
    CHECK ((public_randomness IS NULL) = (executed_at IS NULL) AND (selection IS NULL) = (executed_at IS NULL))
);

CREATE TABLE draw_inspection (
    draw_id      uuid NOT NULL REFERENCES draw (id),
    credit_code  text NOT NULL,
    outcome      text NOT NULL,
    penalty      text,
    event_id     uuid REFERENCES credit_event (id),
    recorded_by  text NOT NULL,
    recorded_at  timestamptz NOT NULL,
    PRIMARY KEY (draw_id, credit_code)
);
