-- The citizen portal. portal_links says which identities (the identity
-- provider's subject, a pseudonym) may see which households; a link is
-- ended (unlinked_at), never deleted, so who could see a household and when
-- stays known. portal_link_failures counts failed linking attempts per
-- identity and per client (a hash of the network address) for rate limits;
-- rows older than a day are pruned. Every statement is idempotent, so this
-- file can be renumbered without harm.

CREATE TABLE IF NOT EXISTS portal_links (
    id           INTEGER PRIMARY KEY,
    subject      TEXT NOT NULL,
    household_id TEXT NOT NULL REFERENCES households(id),
    linked_at    TEXT NOT NULL,
    unlinked_at  TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS portal_links_live ON portal_links(subject, household_id) WHERE unlinked_at IS NULL;
CREATE INDEX IF NOT EXISTS portal_links_household ON portal_links(household_id);

CREATE TABLE IF NOT EXISTS portal_link_failures (
    id      INTEGER PRIMARY KEY,
    subject TEXT NOT NULL,
    client  TEXT NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS portal_link_failures_subject ON portal_link_failures(subject, at);
CREATE INDEX IF NOT EXISTS portal_link_failures_client ON portal_link_failures(client, at);
CREATE INDEX IF NOT EXISTS portal_link_failures_at ON portal_link_failures(at);

-- What the portal's pages look up: a household by the access code printed
-- on its invoices. (A household's payments: see 0101_portal_summary.sql.)
CREATE INDEX IF NOT EXISTS households_access_code ON households(json_extract(data, '$.access_code'));
