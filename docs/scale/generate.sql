-- Generates :n tickets spread over the 10 years before now, for docs/scaling.md's measured figure.
-- 200 departments; tickets older than 30 days are closed with a reply and a callback, newer ones are in
-- the states a live system holds (dispatched, signed, replied; 1 in 1,000 waiting in RECEIVED).
-- Usage: psql -v n=1000000 -f docs/scale/generate.sql
\set ON_ERROR_STOP on
INSERT INTO department (code, name, dept_group)
SELECT 'D-' || lpad(i::text, 3, '0'), 'Department ' || i, CASE WHEN i <= 60 THEN 'municipal' ELSE 'district' END
FROM generate_series(1, 200) i ON CONFLICT DO NOTHING;

SET synchronous_commit = off;
INSERT INTO ticket (id, external_id, intake_hash, type, urgency, category, title, content, received_at,
                    caller_name, caller_phone, district, address, status, lead_department, dispatched_at,
                    signed_at, first_contact_at, replied_at, reply_outcome, callback_satisfaction, due_at,
                    created_at, updated_at)
SELECT gen_random_uuid(), 'scale-' || g, md5(g::text),
       (ARRAY['CONSULTATION','HELP','COMPLAINT','REPORT','SUGGESTION'])[1 + g % 5],
       CASE WHEN g % 50 = 0 THEN 'URGENT' ELSE 'NORMAL' END,
       (ARRAY['market.agency','traffic.parking','housing.property','environment.noise','health.clinic'])[1 + g % 5],
       'ticket ' || g, 'generated content of ticket ' || g || ', about as long as a short complaint on the hotline',
       at, '张三', '138' || lpad((g % 100000000)::text, 8, '0'), '海淀区', '中关村大街' || (g % 300) || '号',
       CASE WHEN age > interval '30 days' THEN 'CLOSED'
            WHEN g % 1000 = 0 THEN 'RECEIVED'
            ELSE (ARRAY['DISPATCHED','SIGNED','REPLIED'])[1 + g % 3] END,
       CASE WHEN age <= interval '30 days' AND g % 1000 = 0 THEN NULL ELSE 'D-' || lpad((1 + (g::bigint * 7919) % 200)::text, 3, '0') END,
       CASE WHEN age <= interval '30 days' AND g % 1000 = 0 THEN NULL ELSE at + interval '10 minutes' END,
       CASE WHEN age > interval '30 days' OR g % 3 > 0 THEN at + interval '1 hour' END,
       CASE WHEN age > interval '30 days' OR g % 3 > 0 THEN at + interval '3 hours' END,
       CASE WHEN age > interval '30 days' THEN at + interval '3 days' END,
       CASE WHEN age > interval '30 days' THEN (ARRAY['RESOLVED','RESOLVED','PARTIALLY_RESOLVED','UNRESOLVED','EXPLAINED'])[1 + g % 5] END,
       CASE WHEN age > interval '30 days' THEN (ARRAY['SATISFIED','SATISFIED','BASICALLY_SATISFIED','UNSATISFIED'])[1 + g % 4] END,
       CASE WHEN age <= interval '30 days' AND g % 1000 <> 0 THEN at + interval '5 days' END,
       at, at
FROM (SELECT g, now() - (interval '3650 days') * (1 - g::double precision / :n) AS at,
             (interval '3650 days') * (1 - g::double precision / :n) AS age
      FROM generate_series(1, :n) g) s;
ANALYZE ticket;
SELECT count(*) AS tickets, pg_size_pretty(pg_total_relation_size('ticket')) AS ticket_with_indexes FROM ticket;
