-- How a ticket reached jiesu: the hotline (every ticket so far), an Open311 client, or a proactive task.
ALTER TABLE ticket ADD COLUMN channel text NOT NULL DEFAULT 'HOTLINE'
    CHECK (channel IN ('HOTLINE','OPEN311','PROACTIVE'));
