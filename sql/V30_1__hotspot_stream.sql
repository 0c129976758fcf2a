-- Hotspot announcements join the supervision stream's order (issue 11): an insight_hotspot row, written in
-- the intake transaction that found the hotspot, is streamed like an sla_event row, in (txid, id) order, so
-- one Last-Event-ID resumes both. The ids come from sla_event's sequence, so no two stream rows share an
-- id (positions never tie, even for a transaction that wrote both). first_at, last_at and ticket_id are
-- what the stream event carries besides the key and the verdict.
-- Rows announced before this migration were live only and are never replayed (txid stays NULL).
ALTER TABLE insight_hotspot
    ADD COLUMN txid      xid8,
    ADD COLUMN first_at  timestamptz,
    ADD COLUMN last_at   timestamptz,
    ADD COLUMN ticket_id uuid;
ALTER TABLE insight_hotspot ALTER COLUMN txid SET DEFAULT pg_current_xact_id();
ALTER TABLE insight_hotspot ALTER COLUMN id DROP IDENTITY;
ALTER TABLE insight_hotspot ALTER COLUMN id SET DEFAULT nextval('sla_event_id_seq');

CREATE INDEX insight_hotspot_stream_idx ON insight_hotspot (txid, id);
