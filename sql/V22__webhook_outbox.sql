-- Status webhooks through a transactional outbox (issue 12): a delivery row per (subscription, event), written in the transaction of the change it reports, delivered by a relay in every replica.

CREATE TABLE webhook_subscription (
    id                    uuid PRIMARY KEY,
    url                   text NOT NULL,
    events                text[] NOT NULL,
    description           text,
    -- whsec_ secrets sign deliveries; after a rotation the previous one signs too until its grace ends
    secret                text NOT NULL,
    previous_secret       text,
    previous_secret_until timestamptz,
    enabled               boolean NOT NULL DEFAULT true,
    disabled_reason       text,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL
);

CREATE TABLE webhook_delivery (
    id              uuid PRIMARY KEY,          -- the webhook-id: the same on every attempt
    subscription_id uuid NOT NULL REFERENCES webhook_subscription(id) ON DELETE CASCADE,
    event_type      text NOT NULL,
    occurred_at     timestamptz NOT NULL,
    ticket_id       uuid,
    data            jsonb NOT NULL,            -- no personal data: ids, states, departments, times
    status          text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DELIVERED', 'DEAD')),
    attempts        integer NOT NULL DEFAULT 0,
    -- PENDING: when a relay may take it; a relay that claims it moves this past its attempt (a lease), so
    -- a relay that dies mid-delivery leaves it to the others once the lease ends
    next_at         timestamptz,
    created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    delivered_at    timestamptz,
    last_result     text,
    last_status     integer
);

CREATE INDEX webhook_delivery_due_idx ON webhook_delivery (next_at) WHERE status = 'PENDING';
CREATE INDEX webhook_delivery_subscription_idx ON webhook_delivery (subscription_id, created_at DESC, id DESC);

CREATE TABLE webhook_attempt (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id  uuid NOT NULL REFERENCES webhook_delivery(id) ON DELETE CASCADE,
    attempt      integer NOT NULL,
    at           timestamptz NOT NULL,
    duration_ms  integer NOT NULL,
    status_code  integer,
    result       text NOT NULL,
    error        text                          -- a short excerpt of the answer or the failure, never more
);

CREATE INDEX webhook_attempt_delivery_idx ON webhook_attempt (delivery_id, id);

-- SLA warnings and breaches: the outbox rows are written by the statement that records them (the
-- scheduler's firing statement), so a breach is never recorded without its deliveries, or the reverse.
CREATE FUNCTION webhook_enqueue_sla_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO webhook_delivery (id, subscription_id, event_type, occurred_at, ticket_id, data, next_at)
  SELECT gen_random_uuid(), s.id, k.kind, n.at, n.ticket_id,
         jsonb_build_object('ticketId', n.ticket_id, 'externalId', t.external_id, 'state', t.status,
                            'round', n.round, 'timer', n.timer,
                            'dueAt', to_char(n.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                            'department', n.department),
         clock_timestamp()
    FROM new_sla_events n
    JOIN ticket t ON t.id = n.ticket_id
    CROSS JOIN LATERAL (SELECT CASE n.type WHEN 'SLA_BREACHED' THEN 'sla.breached' ELSE 'sla.warning' END) AS k(kind)
    JOIN webhook_subscription s ON s.enabled AND k.kind = ANY (s.events);
  IF FOUND THEN
    PERFORM pg_notify('jiesu_webhooks', '');
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER sla_event_webhooks AFTER INSERT ON sla_event
    REFERENCING NEW TABLE AS new_sla_events
    FOR EACH STATEMENT EXECUTE FUNCTION webhook_enqueue_sla_events();
