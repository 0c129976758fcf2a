-- Issue 8: a call without a district or a street was still written into both street indexes, under NULL keys
-- that nothing reads. Every query of them matches district and street with = (Hotspots.ONE_STREET and
-- IDS_ON_STREETS, the street branch of insight_similar_candidates), and a strict = implies IS NOT NULL, so
-- partial indexes serve them all; IDS_ELSEWHERE (the cells without a street) compares with IS NOT DISTINCT
-- FROM, which no btree index answers, and never used them. An intake without a street now writes two index
-- entries fewer.
CREATE INDEX ticket_street_time_idx_v39 ON ticket (district, street, received_at) INCLUDE (category, status, channel)
    WHERE district IS NOT NULL AND street IS NOT NULL;
DROP INDEX ticket_street_time_idx;
ALTER INDEX ticket_street_time_idx_v39 RENAME TO ticket_street_time_idx;

CREATE INDEX ticket_open_street_idx_v39 ON ticket (district, street, received_at)
    WHERE status NOT IN ('CLOSED', 'MERGED') AND district IS NOT NULL AND street IS NOT NULL;
DROP INDEX ticket_open_street_idx;
ALTER INDEX ticket_open_street_idx_v39 RENAME TO ticket_open_street_idx;
