-- Knowledge base (知识库) the hotline answers consultations from; search ranks title over tags over body.
CREATE TABLE knowledge_article (
    id          uuid PRIMARY KEY,
    title       text NOT NULL,
    body        text NOT NULL,
    tags        text[] NOT NULL DEFAULT '{}',
    version     integer NOT NULL DEFAULT 1,
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    -- deleted articles stay, so tickets answered from them keep their reference
    deleted_at  timestamptz
);

CREATE INDEX knowledge_article_live_idx ON knowledge_article (updated_at DESC) WHERE deleted_at IS NULL;
