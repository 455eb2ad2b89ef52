-- Where this counter stands with the central server: the credential it got
-- at enrolment, the last journal entry the server acknowledged, and the pull
-- cursor. One row, updated in place: this is bookkeeping, not the journal,
-- and the sync loop resumes from it after a restart.
CREATE TABLE sync_state (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    server     TEXT NOT NULL DEFAULT '',
    credential TEXT NOT NULL DEFAULT '',
    acked_seq  INTEGER NOT NULL DEFAULT 0,
    cursor     TEXT NOT NULL DEFAULT ''
);
INSERT INTO sync_state (id) VALUES (1);
