-- What the counter last proved of its own file when it started, so the next
-- start checks only what came after: the journal entry it verified up to
-- (seq and hash, so a rewritten past is caught at once), the row count of
-- each journal table then, and the rows of the tables that hold state
-- rather than history (the cheques in the till), which the next start
-- replays the new entries onto. State, updated in place, not the journal.
CREATE TABLE verified (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    seq    INTEGER NOT NULL DEFAULT 0,
    hash   TEXT NOT NULL DEFAULT '',
    at     TEXT NOT NULL DEFAULT '',
    counts TEXT NOT NULL DEFAULT '{}',
    state  TEXT NOT NULL DEFAULT '{}'
);
INSERT INTO verified (id) VALUES (1);

-- When the server last answered a push or a pull (UTC, RFC 3339), for
-- `regie-caisse status`.
ALTER TABLE sync_state ADD COLUMN last_sync TEXT NOT NULL DEFAULT '';
