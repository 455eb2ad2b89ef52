-- Only the holder links a household (issue 10). A link now says how it was
-- made (via: 'identity' when the name and birth date FranceConnect vouches
-- for matched an adult of the household, 'slip' with a counter's one-time
-- linking slip; 'code' for the links made before, with the access code and
-- an invoice number), under which name (as the provider gave it, shown to
-- the others linked to the household) and, when it ended, by whom ('self',
-- or the régisseur's command).
ALTER TABLE portal_links ADD COLUMN via TEXT NOT NULL DEFAULT 'code';
ALTER TABLE portal_links ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE portal_links ADD COLUMN slip_id TEXT;
ALTER TABLE portal_links ADD COLUMN unlinked_by TEXT;

-- A linking slip is printed at a counter after an agent checked an
-- identity document. id is the counter's request id (a retry gets the same
-- slip); only the SHA-256 of its code is kept. counter_id is NULL for a
-- slip made by the régisseur's command.
CREATE TABLE portal_link_slips (
    id           TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households(id),
    code_hash    TEXT NOT NULL UNIQUE,
    counter_id   INTEGER REFERENCES counters(id),
    agent        TEXT NOT NULL,
    document     TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE INDEX portal_link_slips_household ON portal_link_slips(household_id);

-- A slip links once: its use is a row of its own, whose primary key makes
-- a second use fail even from another server instance.
CREATE TABLE portal_link_slip_uses (
    slip_id TEXT PRIMARY KEY REFERENCES portal_link_slips(id),
    subject TEXT NOT NULL,
    at      TEXT NOT NULL
);

CREATE TRIGGER portal_link_slips_no_update BEFORE UPDATE ON portal_link_slips
BEGIN SELECT RAISE(ABORT, 'portal_link_slips is append-only'); END;
CREATE TRIGGER portal_link_slips_no_delete BEFORE DELETE ON portal_link_slips
BEGIN SELECT RAISE(ABORT, 'portal_link_slips is append-only'); END;
CREATE TRIGGER portal_link_slip_uses_no_update BEFORE UPDATE ON portal_link_slip_uses
BEGIN SELECT RAISE(ABORT, 'portal_link_slip_uses is append-only'); END;
CREATE TRIGGER portal_link_slip_uses_no_delete BEFORE DELETE ON portal_link_slip_uses
BEGIN SELECT RAISE(ABORT, 'portal_link_slip_uses is append-only'); END;

-- When each identity last visited each of its households: links made by
-- others after it are announced at its next login.
CREATE TABLE portal_seen (
    subject      TEXT NOT NULL,
    household_id TEXT NOT NULL REFERENCES households(id),
    seen_at      TEXT NOT NULL,
    PRIMARY KEY (subject, household_id)
) WITHOUT ROWID;

-- Keys every server instance must share (the login cookie's AEAD key, the
-- key linking slips' codes are derived from): drawn from crypto/rand by the
-- first instance that needs one, never changed.
CREATE TABLE server_keys (
    name       TEXT PRIMARY KEY,
    key        BLOB NOT NULL,
    created_at TEXT NOT NULL
);
