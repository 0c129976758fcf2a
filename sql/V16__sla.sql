-- SLA engine (DESIGN §3): policies, the business calendar, durable timers, and the warnings and breaches
-- they fire, each exactly once per (ticket, round, timer, due time) by a unique key.

CREATE TABLE sla_policy (
    key               text PRIMARY KEY CHECK (key ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
    type              text CHECK (type IN ('CONSULTATION','HELP','COMPLAINT','REPORT','SUGGESTION')),
    urgency           text CHECK (urgency IN ('NORMAL','URGENT','CRITICAL')),
    category          text,
    -- each timer: ISO-8601 duration and clock, or both null for "no such timer"
    sign_duration     text,
    sign_clock        text CHECK (sign_clock IN ('NATURAL','WORKING')),
    contact_duration  text,
    contact_clock     text CHECK (contact_clock IN ('NATURAL','WORKING')),
    resolve_duration  text,
    resolve_clock     text CHECK (resolve_clock IN ('NATURAL','WORKING')),
    warning_share     double precision NOT NULL DEFAULT 0.75 CHECK (warning_share > 0 AND warning_share < 1),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CHECK ((sign_duration IS NULL) = (sign_clock IS NULL)),
    CHECK ((contact_duration IS NULL) = (contact_clock IS NULL)),
    CHECK ((resolve_duration IS NULL) = (resolve_clock IS NULL)),
    -- two policies for the same match would make the choice arbitrary
    UNIQUE NULLS NOT DISTINCT (type, urgency, category)
);

INSERT INTO sla_policy (key, type, urgency, category, sign_duration, sign_clock, contact_duration, contact_clock,
                        resolve_duration, resolve_clock) VALUES
    ('critical', NULL, 'CRITICAL', NULL, 'PT15M', 'NATURAL', 'PT30M', 'NATURAL', 'PT2H', 'NATURAL'),
    ('urgent', NULL, 'URGENT', NULL, 'PT1H', 'NATURAL', 'PT2H', 'NATURAL', 'PT24H', 'NATURAL'),
    ('normal-consultation', 'CONSULTATION', 'NORMAL', NULL, 'PT2H', 'WORKING', NULL, NULL, 'P2D', 'WORKING'),
    ('normal', NULL, 'NORMAL', NULL, 'PT4H', 'WORKING', 'PT24H', 'NATURAL', 'P7D', 'NATURAL');

-- The week: zone and office hours per weekday (ISO day 1 = Monday), and the hours of make-up working days.
CREATE TABLE business_calendar (
    id            boolean PRIMARY KEY DEFAULT true CHECK (id),
    zone          text NOT NULL,
    -- {"MONDAY": [{"open": "09:00", "close": "12:00"}, …], …, "MAKE_UP": […]}
    office_hours  jsonb NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

INSERT INTO business_calendar (zone, office_hours) VALUES ('Asia/Shanghai', '{
  "MONDAY":    [{"open": "09:00", "close": "12:00"}, {"open": "13:30", "close": "17:30"}],
  "TUESDAY":   [{"open": "09:00", "close": "12:00"}, {"open": "13:30", "close": "17:30"}],
  "WEDNESDAY": [{"open": "09:00", "close": "12:00"}, {"open": "13:30", "close": "17:30"}],
  "THURSDAY":  [{"open": "09:00", "close": "12:00"}, {"open": "13:30", "close": "17:30"}],
  "FRIDAY":    [{"open": "09:00", "close": "12:00"}, {"open": "13:30", "close": "17:30"}],
  "SATURDAY":  [],
  "SUNDAY":    [],
  "MAKE_UP":   [{"open": "09:00", "close": "12:00"}, {"open": "13:30", "close": "17:30"}]
}');

CREATE TABLE business_calendar_year (
    year        integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
    holidays    date[] NOT NULL,
    workdays    date[] NOT NULL,
    source      text,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04)
INSERT INTO business_calendar_year (year, holidays, workdays, source) VALUES (2026,
    '{2026-01-01,2026-01-02,2026-01-03,2026-02-15,2026-02-16,2026-02-17,2026-02-18,2026-02-19,2026-02-20,2026-02-21,2026-02-22,2026-02-23,2026-04-04,2026-04-05,2026-04-06,2026-05-01,2026-05-02,2026-05-03,2026-05-04,2026-05-05,2026-06-19,2026-06-20,2026-06-21,2026-09-25,2026-09-26,2026-09-27,2026-10-01,2026-10-02,2026-10-03,2026-10-04,2026-10-05,2026-10-06,2026-10-07}',
    '{2026-01-04,2026-02-14,2026-02-28,2026-05-09,2026-09-20,2026-10-10}',
    '国务院办公厅关于2026年部分节假日安排的通知, 2025-11-04');

CREATE TABLE sla_timer (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id         uuid NOT NULL REFERENCES ticket(id),
    round             integer NOT NULL,
    kind              text NOT NULL CHECK (kind IN ('SIGN','CONTACT','RESOLVE')),
    clock             text NOT NULL CHECK (clock IN ('NATURAL','WORKING')),
    allowed           text NOT NULL,
    warning_share     double precision NOT NULL,
    policy_key        text,
    started_at        timestamptz NOT NULL,
    due_at            timestamptz NOT NULL,
    warn_at           timestamptz NOT NULL,
    state             text NOT NULL CHECK (state IN ('RUNNING','PAUSED','MET','BREACHED','CANCELLED')),
    met_at            timestamptz,
    breached_at       timestamptz,
    paused_at         timestamptz,
    paused_us         bigint NOT NULL DEFAULT 0,
    extended_us       bigint NOT NULL DEFAULT 0,
    calendar_missing  boolean NOT NULL DEFAULT false,
    -- the due time a warning was fired for: a moved due time may warn again (a new key)
    warned_due_at     timestamptz,
    -- when the scheduler must look at this timer next (warning, then breach); null when nothing is left
    next_at           timestamptz,
    -- the settings version its due time was computed with: older open timers are recomputed
    config_version    bigint NOT NULL DEFAULT 0
);

-- one open timer of each kind per round; a re-dispatch in the same round cancels and starts anew
CREATE UNIQUE INDEX sla_timer_one_open ON sla_timer (ticket_id, round, kind) WHERE state IN ('RUNNING','PAUSED');

CREATE INDEX sla_timer_next_idx ON sla_timer (next_at) WHERE state = 'RUNNING' AND next_at IS NOT NULL;
CREATE INDEX sla_timer_open_idx ON sla_timer (ticket_id) WHERE state IN ('RUNNING','PAUSED');
CREATE INDEX sla_timer_stale_idx ON sla_timer (config_version, id) WHERE state IN ('RUNNING','PAUSED');

-- One counter for "policies or calendar changed": every such write moves it in its transaction, so open
-- timers computed with an older version are known to need a recomputation, even across crashes.
CREATE TABLE sla_config (
    id       boolean PRIMARY KEY DEFAULT true CHECK (id),
    version  bigint NOT NULL
);
INSERT INTO sla_config (version) VALUES (1);

-- Fired warnings and breaches. The unique key makes a second firing of the same deadline (another replica,
-- a retry after a crash) a no-op. The stream reads them in (txid, id) order and only from transactions
-- older than every one still running, so a slow commit can never slip in behind what was streamed.
CREATE TABLE sla_event (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    txid        xid8 NOT NULL DEFAULT pg_current_xact_id(),
    ticket_id   uuid NOT NULL REFERENCES ticket(id),
    round       integer NOT NULL,
    timer       text NOT NULL,
    type        text NOT NULL CHECK (type IN ('SLA_WARNING','SLA_BREACHED')),
    due_at      timestamptz NOT NULL,
    at          timestamptz NOT NULL,
    department  text,
    UNIQUE (ticket_id, round, timer, type, due_at)
);

CREATE INDEX sla_event_breach_idx ON sla_event (at, id) WHERE type = 'SLA_BREACHED';
CREATE INDEX sla_event_stream_idx ON sla_event (txid, id);
