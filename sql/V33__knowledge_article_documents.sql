-- Each article keeps the JSON object a search answers for it (with "score": 0, which the server replaces),
-- written by the same trigger that stamps the writing transaction (V32), so every writer keeps it current.
-- A search page is ten articles of up to tens of kilobytes: building their JSON on every search (escaping
-- every character) and decompressing their bodies was most of the statement that reads them; the document
-- is stored uncompressed (EXTERNAL) so reading it is copying it.
ALTER TABLE knowledge_article ADD COLUMN doc bytea;
ALTER TABLE knowledge_article ALTER COLUMN doc SET STORAGE EXTERNAL;

-- RFC 3339 in UTC, the fraction without trailing zeros: as Times.rfc3339 writes times everywhere else
CREATE FUNCTION knowledge_rfc3339(at timestamptz) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT rtrim(rtrim(to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), '0'), '.') || 'Z'
$$;

CREATE OR REPLACE FUNCTION knowledge_article_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_txid := pg_current_xact_id();
  NEW.doc := convert_to(json_build_object('id', NEW.id, 'title', NEW.title, 'body', NEW.body, 'tags', NEW.tags,
      'version', NEW.version, 'createdAt', knowledge_rfc3339(NEW.created_at),
      'updatedAt', knowledge_rfc3339(NEW.updated_at), 'score', 0)::text, 'UTF8');
  RETURN NEW;
END $$;

-- the existing articles, through the trigger; their indexes are built again after (one bulk build each
-- instead of inserting every article's thousands of terms anew, as V29 did)
SET LOCAL maintenance_work_mem = '256MB';
DROP INDEX knowledge_article_terms_idx;
DROP INDEX knowledge_article_txid_idx;
UPDATE knowledge_article SET doc = NULL;
CREATE INDEX knowledge_article_terms_idx ON knowledge_article USING gin (search_terms) WITH (fastupdate = off)
    WHERE deleted_at IS NULL;
CREATE INDEX knowledge_article_txid_idx ON knowledge_article (search_txid);
