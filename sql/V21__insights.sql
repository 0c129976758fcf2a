-- Proactive handling (issue 11): indexes that let hotspots and similar-ticket suggestions read only the
-- tickets of a window or a street, the hotspots announced on the supervision stream, and proactive tasks
-- with the tickets behind them.

-- All cells of one window: an index-only range scan over receivedAt that carries the cell.
CREATE INDEX ticket_received_cell_idx ON ticket (received_at) INCLUDE (category, district, street, channel);

-- One street's calls in a time range: the hotspot check at intake.
CREATE INDEX ticket_street_time_idx ON ticket (district, street, received_at) INCLUDE (category, status, channel);

-- Open tickets on one street in a time range (similar-ticket candidates): closed history is not in it.
CREATE INDEX ticket_open_street_idx ON ticket (district, street, received_at)
    WHERE status NOT IN ('CLOSED', 'MERGED');

-- Open tickets near a point (similar tickets with coordinates).
CREATE INDEX ticket_open_point_idx ON ticket USING gist (point(lon, lat))
    WHERE lat IS NOT NULL AND status NOT IN ('CLOSED', 'MERGED');

-- A hotspot is announced once per cell and window: the unique key is the cell and the window it was in.
CREATE TABLE insight_hotspot (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    category        text NOT NULL,
    district        text,
    street          text,
    window_seconds  integer NOT NULL,
    window_start    timestamptz NOT NULL,
    count           integer NOT NULL,
    expected        double precision NOT NULL,
    score           double precision NOT NULL,
    at              timestamptz NOT NULL,
    UNIQUE NULLS NOT DISTINCT (category, district, street, window_seconds, window_start)
);

-- 主动治理任务: a ticket of channel PROACTIVE, its target date, and the tickets that caused it.
CREATE TABLE insight_task (
    ticket_id   uuid PRIMARY KEY REFERENCES ticket(id),
    due_at      timestamptz,
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL
);

CREATE TABLE insight_task_link (
    task_id     uuid NOT NULL REFERENCES insight_task(ticket_id),
    ticket_id   uuid NOT NULL REFERENCES ticket(id),
    PRIMARY KEY (task_id, ticket_id)
);

CREATE INDEX insight_task_link_ticket_idx ON insight_task_link (ticket_id);
