-- The back-office's own accounts (the régisseurs, finance and IT staff who
-- log in from a browser), apart from the counters' agents and their PINs.
-- An account is reference data, changed by administrators; every change is
-- recorded in the audit trail below, which is append-only and chained.
CREATE TABLE staff (
    id             TEXT PRIMARY KEY,
    login          TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    email          TEXT NOT NULL DEFAULT '',
    -- bcrypt hash; '' when the account logs in only through OpenID Connect.
    password_hash  TEXT NOT NULL DEFAULT '',
    -- the TOTP secret (base32), '' until the second factor is set up;
    -- totp_step is the last time step accepted, so a code is used once.
    totp_secret    TEXT NOT NULL DEFAULT '',
    totp_step      INTEGER NOT NULL DEFAULT 0,
    -- the OpenID Connect identity (ProConnect…) bound to the account.
    oidc_issuer    TEXT NOT NULL DEFAULT '',
    oidc_subject   TEXT NOT NULL DEFAULT '',
    disabled       INTEGER NOT NULL DEFAULT 0,
    -- failed logins in a row, and the lock they led to.
    failures       INTEGER NOT NULL DEFAULT 0,
    locked_until   TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    changed_at     TEXT NOT NULL
);
CREATE UNIQUE INDEX staff_oidc ON staff(oidc_issuer, oidc_subject) WHERE oidc_subject <> '';

-- A grant gives a role on one régie, or on every régie when regie is ''
-- (administrators, and finance when it serves the whole city).
CREATE TABLE staff_grants (
    staff_id TEXT NOT NULL REFERENCES staff(id),
    role     TEXT NOT NULL CHECK (role IN ('regisseur', 'suppleant', 'finance', 'admin')),
    regie    TEXT NOT NULL,
    PRIMARY KEY (staff_id, role, regie)
) WITHOUT ROWID;

-- Sessions live in the database (architecture rule 11), named by the
-- SHA-256 of a random cookie: a copy of the file gives no usable cookie.
-- second_factor is 1 once the TOTP code was given, or not needed.
CREATE TABLE staff_sessions (
    id_hash       TEXT PRIMARY KEY,
    staff_id      TEXT NOT NULL REFERENCES staff(id),
    csrf          TEXT NOT NULL,
    second_factor INTEGER NOT NULL,
    id_token      TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    seen_at       TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX staff_sessions_staff ON staff_sessions(staff_id);
CREATE INDEX staff_sessions_seen ON staff_sessions(seen_at);

-- The audit trail: every back-office action that changes or exports
-- something, who did it, when and from where; chained like a counter's
-- journal (hash = SHA-256(prev_hash ‖ canonical bytes of the record)).
CREATE TABLE audit (
    seq        INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    staff_id   TEXT NOT NULL,
    staff      TEXT NOT NULL,
    action     TEXT NOT NULL,
    regie      TEXT NOT NULL,
    target     TEXT NOT NULL,
    detail     TEXT NOT NULL,
    client     TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_regie ON audit(regie, seq);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
