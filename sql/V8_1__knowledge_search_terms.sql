-- Knowledge search becomes an index lookup: each article stores its search terms (Han characters and pairs, other words; prefixed t:/g:/b: for title, tags, body), computed by the server on every write.
-- (Numbered 8.1: versions 7 and 8 were already taken when this was written.) The Java migration 8.2 fills
-- the column for existing articles with the same code that computes it on write, then makes it NOT NULL.
ALTER TABLE knowledge_article ADD COLUMN search_terms text[];

-- deleted articles are never searched, so they are not indexed. fastupdate off: an article adds thousands
-- of terms, and a pending list of them (scanned whole by every search until a vacuum merges it) made
-- searches after a bulk load take seconds; writes are rare here, searches are not.
CREATE INDEX knowledge_article_terms_idx ON knowledge_article USING gin (search_terms) WITH (fastupdate = off)
    WHERE deleted_at IS NULL;
