-- Routing rules (派单规则): conditions on category, district, street, type and keywords, highest priority wins.
CREATE TABLE routing_rule (
    id                    uuid PRIMARY KEY,
    priority              integer NOT NULL,
    category              text,
    districts             text[] NOT NULL DEFAULT '{}',
    streets               text[] NOT NULL DEFAULT '{}',
    types                 text[] NOT NULL DEFAULT '{}',
    keywords              text[] NOT NULL DEFAULT '{}',
    lead_department       text NOT NULL REFERENCES department(code),
    assisting_departments text[] NOT NULL DEFAULT '{}',
    version               integer NOT NULL DEFAULT 1,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL
);

CREATE INDEX routing_rule_priority_idx ON routing_rule (priority DESC, created_at, id);
