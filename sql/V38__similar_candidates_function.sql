-- Similar tickets (issue 11) and issue 8: the candidates of a call, as one function both reads use. An intake's
-- similarCount reads them for the call as it was sent, beside its intake, in one statement on the pool; /similar
-- reads them for a stored ticket. Before, the count was a transaction of its own after the commit (BEGIN,
-- SET LOCAL plan_cache_mode, the read, COMMIT: four round trips per located call), because the read has to run
-- on a generic plan: a custom plan of these two branches costs about 0.8 ms of planning against 0.1 ms of
-- running (EXPLAIN ANALYZE at 36,000 tickets). The function's SET clause gives its queries the generic plan
-- without a transaction around the caller, and PL/pgSQL keeps that plan for the session.
--
-- The candidates: the open tickets on the call's street, and those near its point that are not on that street,
-- received within within_seconds of call_at; the box is box_meters either way; the call's own ticket (by its
-- externalId, which is unique) is never its candidate; at most at_most from each branch. Both branches read
-- open tickets only, through partial indexes (ticket_open_street_idx; ticket_open_point_idx index-only, V30_2).
-- The OFFSET 0 keeps the point branch on its GiST index: a generic plan cannot see the window's values, and
-- without it ANDed the box with a scan of every call of the fortnight on the received_at index.
-- A candidate's title and content are sent only when it has no stored terms (it is then judged by its text);
-- its stored terms come joined by U+001F, which no term contains: one string to decode, not one per term.
-- ROWS 50 (the default estimate is 1,000) keeps /similar's join of the candidates to ticket a loop over its key.
CREATE FUNCTION insight_similar_candidates(call_district text, call_street text, call_lat double precision,
    call_lon double precision, call_at timestamptz, within_seconds double precision, box_meters double precision,
    call_external_id text, at_most integer)
RETURNS TABLE (id uuid, received_at timestamptz, district text, street text, lat double precision,
               lon double precision, title text, content text, terms text)
LANGUAGE plpgsql STABLE ROWS 50
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  (SELECT c.id, c.received_at, c.district, c.street, c.lat, c.lon,
          CASE WHEN x.terms IS NULL THEN c.title END, CASE WHEN x.terms IS NULL THEN c.content END,
          array_to_string(x.terms, chr(31))
     FROM ticket c
     LEFT JOIN insight_ticket_terms x ON x.ticket_id = c.id
    WHERE c.district = call_district AND c.street = call_street
      AND c.received_at >= call_at - within_seconds * interval '1 second'
      AND c.received_at <= call_at + within_seconds * interval '1 second'
      AND c.status NOT IN ('CLOSED', 'MERGED') AND c.external_id <> call_external_id
    LIMIT at_most)
  UNION ALL
  (SELECT c.id, c.received_at, c.district, c.street, c.lat, c.lon,
          CASE WHEN x.terms IS NULL THEN c.title END, CASE WHEN x.terms IS NULL THEN c.content END,
          array_to_string(x.terms, chr(31))
     FROM (SELECT n.id, n.district, n.street, n.received_at FROM ticket n
            WHERE point(n.lon, n.lat) <@ box(
                    point(call_lon - box_meters / (111320.0 * greatest(0.01, cos(radians(call_lat)))),
                          call_lat - box_meters / 111320.0),
                    point(call_lon + box_meters / (111320.0 * greatest(0.01, cos(radians(call_lat)))),
                          call_lat + box_meters / 111320.0))
              AND n.lat IS NOT NULL AND n.status NOT IN ('CLOSED', 'MERGED')
           OFFSET 0) p
     JOIN ticket c ON c.id = p.id
     LEFT JOIN insight_ticket_terms x ON x.ticket_id = c.id
    WHERE call_lat IS NOT NULL AND call_lon IS NOT NULL
      AND p.received_at >= call_at - within_seconds * interval '1 second'
      AND p.received_at <= call_at + within_seconds * interval '1 second'
      AND c.external_id <> call_external_id
      AND (call_district IS NULL OR call_street IS NULL
           OR p.district IS DISTINCT FROM call_district OR p.street IS DISTINCT FROM call_street)
    LIMIT at_most);
END
$$;
