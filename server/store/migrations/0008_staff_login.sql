-- The back-office's login state, in the database so that every server
-- instance applies the same limits (architecture rule 11).
-- must_change: the password was set by an administrator (or the CLI) and
-- must be replaced by its owner at the next login.
-- totp_pending: a TOTP secret being set up, shown once and kept until the
-- account confirms it with a code; only then does it become totp_secret.
ALTER TABLE staff ADD COLUMN must_change INTEGER NOT NULL DEFAULT 0;
ALTER TABLE staff ADD COLUMN totp_pending TEXT NOT NULL DEFAULT '';

-- Failed logins per client network (a hash of the address, never the
-- address), whatever the login typed: a spray over many logins from one
-- network is slowed as much as a guess on one. Rows older than a day are
-- pruned when new ones are written.
CREATE TABLE staff_login_failures (
    id     INTEGER PRIMARY KEY,
    client TEXT NOT NULL,
    at     TEXT NOT NULL
);
CREATE INDEX staff_login_failures_client ON staff_login_failures(client, at);
CREATE INDEX staff_login_failures_at ON staff_login_failures(at);
