-- Similar tickets (issue 11): the index of open tickets near a point also carries what the nearby branch
-- filters on (when, which street) and the id, so that branch is an index-only scan and only the survivors
-- are read from the heap. Before, every open ticket in the box was read (at 1,000,000 tickets ≈ 300 heap
-- pages per request, most of them for calls on the ticket's own street or outside the time window, which the
-- branch then discards). lat and lon are included because an index-only scan of an expression index needs
-- the columns the expression is made of.
DROP INDEX ticket_open_point_idx;
CREATE INDEX ticket_open_point_idx ON ticket USING gist (point(lon, lat))
    INCLUDE (id, district, street, received_at, lat, lon)
    WHERE lat IS NOT NULL AND status NOT IN ('CLOSED', 'MERGED');
