-- Open311 GeoReport v2 facade: the services civic clients report under (each mapped to a dispatch category), the API clients allowed to post, and the public face of each Open311 request with its status updates.
CREATE TABLE open311_service (
    code          text PRIMARY KEY,
    name          text NOT NULL,
    description   text NOT NULL DEFAULT '',
    service_group text NOT NULL DEFAULT '',
    keywords      text[] NOT NULL DEFAULT '{}',
    -- the dispatch catalogue code (派单目录) routing rules match the ticket on
    category      text NOT NULL,
    ticket_type   text NOT NULL CHECK (ticket_type IN ('CONSULTATION','HELP','COMPLAINT','REPORT','SUGGESTION')),
    -- GeoReport attributes, as the ADMIN configured them (array of objects, in order)
    attributes    jsonb NOT NULL DEFAULT '[]',
    active        boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);

CREATE TABLE open311_client (
    id         uuid PRIMARY KEY,
    name       text NOT NULL,
    -- SHA-256 (hex) of the api_key: the key itself is shown once and never stored
    key_hash   text NOT NULL UNIQUE,
    active     boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL,
    revoked_at timestamptz
);

-- What the public may read of a request that came by Open311: never the caller, the address masked and
-- the coordinates rounded as for the least privileged staff view.
-- ticket_id names the ticket without a foreign key: the ticket feature owns its table (and may partition
-- it); the row is written in the ticket's own intake transaction, so it never names a ticket that is not there.
CREATE TABLE open311_request (
    ticket_id    uuid PRIMARY KEY,
    external_id  text NOT NULL UNIQUE,
    service_code text NOT NULL REFERENCES open311_service(code),
    client_id    uuid NOT NULL REFERENCES open311_client(id),
    description  text NOT NULL,
    address      text,
    lat          double precision,
    lon          double precision,
    requested_at timestamptz NOT NULL,
    status       text NOT NULL CHECK (status IN ('open','closed')),
    status_notes text,
    agency       text,
    updated_at   timestamptz NOT NULL
);

CREATE INDEX open311_request_requested_idx ON open311_request (requested_at DESC, ticket_id);

CREATE TABLE open311_update (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id   uuid NOT NULL REFERENCES open311_request(ticket_id),
    status      text NOT NULL CHECK (status IN ('open','closed')),
    kind        text NOT NULL,
    description text NOT NULL,
    at          timestamptz NOT NULL
);

CREATE INDEX open311_update_at_idx ON open311_update (at, id);
