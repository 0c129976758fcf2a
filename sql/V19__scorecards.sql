-- Department scorecards (DESIGN §5): one fact row per dispatch and per callback, kept current by the scorecard
-- listener in the ticket's own transaction, so a month's scorecards read that month's rows through one index
-- instead of joining tickets, timelines and timers; the settings an ADMIN changes, and the settings each
-- finished month was scored with.

CREATE TABLE scorecard_round (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id       uuid NOT NULL REFERENCES ticket(id),
    round           integer NOT NULL,
    department      text NOT NULL REFERENCES department(code),
    dispatched_at   timestamptz NOT NULL,
    -- the Asia/Shanghai month of dispatched_at (its first day): a round counts in the month it was dispatched
    period          date NOT NULL,
    proactive       boolean NOT NULL DEFAULT false,
    -- the round's timers as the SLA engine stored them: MET (met by its due time), LATE (met after it, or
    -- breached), OPEN (not met: running, breached and never met, cancelled); null when the policy has none
    sign_timer      text CHECK (sign_timer IN ('MET','LATE','OPEN')),
    contact_timer   text CHECK (contact_timer IN ('MET','LATE','OPEN')),
    resolve_timer   text CHECK (resolve_timer IN ('MET','LATE','OPEN')),
    -- the department's return of this dispatch was approved
    returned        boolean NOT NULL DEFAULT false,
    -- the ticket was merged into another: its rounds do not count for or against anyone
    merged          boolean NOT NULL DEFAULT false
);

-- covering: a month's counts are an index-only scan of one range (no visit to the table for settled pages)
CREATE INDEX scorecard_round_period_idx ON scorecard_round (period, department)
    INCLUDE (ticket_id, sign_timer, contact_timer, resolve_timer, returned, proactive, merged);
CREATE INDEX scorecard_round_ticket_idx ON scorecard_round (ticket_id, round, id);

CREATE TABLE scorecard_callback (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id       uuid NOT NULL REFERENCES ticket(id),
    round           integer NOT NULL,
    department      text NOT NULL REFERENCES department(code),
    at              timestamptz NOT NULL,
    -- the Asia/Shanghai month the callback was recorded in
    period          date NOT NULL,
    resolved        boolean NOT NULL,
    satisfaction    text NOT NULL CHECK (satisfaction IN ('SATISFIED','BASICALLY_SATISFIED','UNSATISFIED')),
    rework          boolean NOT NULL,
    -- marked unreasonable (不合理诉求), at the callback or later: left out of resolution and satisfaction
    unreasonable    boolean NOT NULL DEFAULT false,
    proactive       boolean NOT NULL DEFAULT false
);

CREATE INDEX scorecard_callback_period_idx ON scorecard_callback (period, department)
    INCLUDE (resolved, satisfaction, rework, unreasonable, proactive);
CREATE INDEX scorecard_callback_ticket_idx ON scorecard_callback (ticket_id);

-- the listener reads a round's latest timers of each kind when the ticket is signed, contacted or replied
CREATE INDEX sla_timer_ticket_round_idx ON sla_timer (ticket_id, round, kind, id);

-- Every version of the settings is kept: a finished month points at the version it was scored with.
CREATE TABLE scorecard_settings (
    version                     bigint PRIMARY KEY,
    response_weight             double precision NOT NULL,
    resolution_weight           double precision NOT NULL,
    satisfaction_weight         double precision NOT NULL,
    satisfied_score             double precision NOT NULL,
    basically_satisfied_score   double precision NOT NULL,
    unsatisfied_score           double precision NOT NULL,
    minimum_sample              integer NOT NULL CHECK (minimum_sample >= 0),
    changed_at                  timestamptz NOT NULL,
    changed_by                  text
);

INSERT INTO scorecard_settings VALUES (1, 0.10, 0.45, 0.45, 100, 80, 0, 10, now(), NULL);

-- The first scorecard computed after a month ended fixes the settings of that month.
CREATE TABLE scorecard_month (
    period            date PRIMARY KEY,
    settings_version  bigint NOT NULL REFERENCES scorecard_settings(version),
    fixed_at          timestamptz NOT NULL
);

-- Facts for tickets handled before this migration, from their timelines and timers.
INSERT INTO scorecard_round (ticket_id, round, department, dispatched_at, period, proactive, returned, merged)
SELECT e.ticket_id, e.round, e.details->>'leadDepartment', e.at,
       date_trunc('month', e.at AT TIME ZONE 'Asia/Shanghai')::date, t.channel = 'PROACTIVE',
       EXISTS (SELECT 1 FROM ticket_event r WHERE r.ticket_id = e.ticket_id AND r.round = e.round
                 AND r.type = 'RETURN_APPROVED' AND r.id > e.id AND r.details->>'department' = e.details->>'leadDepartment'
                 AND NOT EXISTS (SELECT 1 FROM ticket_event n WHERE n.ticket_id = e.ticket_id AND n.type = 'DISPATCHED'
                                   AND n.id > e.id AND n.id < r.id)),
       t.status = 'MERGED'
  FROM ticket_event e JOIN ticket t ON t.id = e.ticket_id
 WHERE e.type = 'DISPATCHED' AND e.details ? 'leadDepartment'
 ORDER BY e.id;

UPDATE scorecard_round r SET
    sign_timer = (SELECT CASE WHEN s.met_at IS NULL THEN 'OPEN' WHEN s.state = 'MET' AND s.met_at <= s.due_at THEN 'MET' ELSE 'LATE' END
                    FROM sla_timer s WHERE s.ticket_id = r.ticket_id AND s.round = r.round AND s.kind = 'SIGN'
                     AND s.started_at >= r.dispatched_at ORDER BY s.id LIMIT 1),
    contact_timer = (SELECT CASE WHEN s.met_at IS NULL THEN 'OPEN' WHEN s.state = 'MET' AND s.met_at <= s.due_at THEN 'MET' ELSE 'LATE' END
                    FROM sla_timer s WHERE s.ticket_id = r.ticket_id AND s.round = r.round AND s.kind = 'CONTACT'
                     AND s.started_at >= r.dispatched_at ORDER BY s.id LIMIT 1),
    resolve_timer = (SELECT CASE WHEN s.met_at IS NULL THEN 'OPEN' WHEN s.state = 'MET' AND s.met_at <= s.due_at THEN 'MET' ELSE 'LATE' END
                    FROM sla_timer s WHERE s.ticket_id = r.ticket_id AND s.round = r.round AND s.kind = 'RESOLVE'
                     AND s.started_at >= r.dispatched_at ORDER BY s.id LIMIT 1);

INSERT INTO scorecard_callback (ticket_id, round, department, at, period, resolved, satisfaction, rework, unreasonable,
                                proactive)
SELECT e.ticket_id, e.round, d.department, e.at, date_trunc('month', e.at AT TIME ZONE 'Asia/Shanghai')::date,
       (e.details->>'resolved')::boolean, e.details->>'satisfaction', coalesce((e.details->>'rework')::boolean, false),
       t.unreasonable, t.channel = 'PROACTIVE'
  FROM ticket_event e JOIN ticket t ON t.id = e.ticket_id
  CROSS JOIN LATERAL (SELECT r.department FROM scorecard_round r WHERE r.ticket_id = e.ticket_id AND r.round = e.round
                        AND r.dispatched_at <= e.at ORDER BY r.id DESC LIMIT 1) d
 WHERE e.type = 'CALLBACK'
 ORDER BY e.id;
