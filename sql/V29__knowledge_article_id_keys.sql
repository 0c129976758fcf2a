-- Each live article's search terms also hold its own key 'i:<id>' (SearchTerms.idKey, written by the server from
-- now on), so a search can score the newest articles inside the index: a lookup restricted to those articles
-- is a second condition on the same GIN index, and no article's stored terms are read (see
-- KnowledgeRepository.window). The index is dropped for the backfill and built again: one bulk build instead
-- of re-inserting every article's thousands of terms one by one.
SET LOCAL maintenance_work_mem = '256MB';
DROP INDEX knowledge_article_terms_idx;

UPDATE knowledge_article SET search_terms = search_terms || ('i:' || id::text)
 WHERE NOT search_terms @> ARRAY['i:' || id::text];

CREATE INDEX knowledge_article_terms_idx ON knowledge_article USING gin (search_terms) WITH (fastupdate = off)
    WHERE deleted_at IS NULL;
