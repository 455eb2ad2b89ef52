-- The citizen portal's sessions, in the database so that a citizen logged
-- in through one server instance stays logged in on the next (architecture
-- rule 11). Named by the SHA-256 of a random cookie, like staff_sessions:
-- a copy of the file gives no usable cookie. data is the session's state
-- as JSON (identity claims, household chosen, CSRF token, notices); expired
-- rows (30 minutes idle, 12 hours at most) are swept.
CREATE TABLE portal_sessions (
    id_hash    TEXT PRIMARY KEY,
    data       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    seen_at    TEXT NOT NULL
);
CREATE INDEX portal_sessions_seen ON portal_sessions(seen_at);
CREATE INDEX portal_sessions_created ON portal_sessions(created_at);
