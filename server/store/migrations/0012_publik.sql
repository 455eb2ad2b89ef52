-- Publik (Entr'ouvert's citizen platform) calls the server with signed URLs
-- (server/auth/signed_url.go). Each signature carries a nonce that must
-- serve once: publik_nonces remembers the nonces of every caller (orig)
-- until their timestamp is out of the 30-second window, after which the
-- timestamp alone refuses a replay and the row is swept. The table is in
-- the database, not in a process, so that every server instance refuses a
-- nonce another one has served (ARCHITECTURE rule 11). It holds no
-- business data: sweeping it deletes nothing recorded.
CREATE TABLE IF NOT EXISTS publik_nonces (
    orig       TEXT NOT NULL,
    nonce      TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    PRIMARY KEY (orig, nonce)
);
CREATE INDEX IF NOT EXISTS publik_nonces_expires ON publik_nonces(expires_at);
