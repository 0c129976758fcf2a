-- Knowledge search keeps the title and tag terms of every article in each server's memory (ArticleHeads):
-- they are a few words an article, and ranking by them in memory spares the index scans that read the
-- long title lists of common words. A server learns what changed since it last looked by transaction id,
-- as the supervision stream does: every write stamps the row with its transaction (whoever writes it:
-- a trigger, not the server), and a server asks for the rows stamped at or after the oldest transaction
-- still running when it last asked (pg_snapshot_xmin), which misses no commit, whatever its order.
-- Rows written before this migration carry 0: a server's first read takes every row anyway.
ALTER TABLE knowledge_article ADD COLUMN search_txid xid8 NOT NULL DEFAULT '0';

CREATE FUNCTION knowledge_article_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_txid := pg_current_xact_id();
  RETURN NEW;
END $$;

CREATE TRIGGER knowledge_article_stamp BEFORE INSERT OR UPDATE ON knowledge_article
    FOR EACH ROW EXECUTE FUNCTION knowledge_article_stamp();

CREATE INDEX knowledge_article_txid_idx ON knowledge_article (search_txid);
