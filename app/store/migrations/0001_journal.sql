-- The counter's journal and its projections. Every table in this file is
-- append-only: the triggers at the end refuse UPDATE and DELETE.

CREATE TABLE journal (
    seq       INTEGER PRIMARY KEY,
    id        TEXT NOT NULL UNIQUE,
    counter   TEXT NOT NULL,
    kind      TEXT NOT NULL,
    at        TEXT NOT NULL,
    agent     TEXT NOT NULL,
    data      TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);

CREATE TABLE sessions (
    id     TEXT PRIMARY KEY,
    seq    INTEGER NOT NULL UNIQUE REFERENCES journal(seq),
    day    TEXT NOT NULL UNIQUE,
    agent  TEXT NOT NULL,
    float  INTEGER NOT NULL
);

-- Few indexes on purpose: each one is one more page written, and fsynced,
-- per payment. A receipt is found by its (year, number).
CREATE TABLE payments (
    id           TEXT PRIMARY KEY,
    seq          INTEGER NOT NULL REFERENCES journal(seq),
    receipt      TEXT NOT NULL,
    year         INTEGER NOT NULL,
    number       INTEGER NOT NULL,
    session_id   TEXT NOT NULL REFERENCES sessions(id),
    day          TEXT NOT NULL,
    at           TEXT NOT NULL,
    agent        TEXT NOT NULL,
    household_id TEXT NOT NULL,
    payer        TEXT NOT NULL,
    total        INTEGER NOT NULL,
    UNIQUE (year, number)
) WITHOUT ROWID;
CREATE INDEX payments_day ON payments(day, seq);

CREATE TABLE tenders (
    payment_id    TEXT NOT NULL REFERENCES payments(id),
    idx           INTEGER NOT NULL,
    mode          TEXT NOT NULL,
    amount        INTEGER NOT NULL,
    tendered      INTEGER NOT NULL,
    change        INTEGER NOT NULL,
    check_number  TEXT NOT NULL,
    bank          TEXT NOT NULL,
    drawer        TEXT NOT NULL,
    authorisation TEXT NOT NULL,
    masked_pan    TEXT NOT NULL,
    reference     TEXT NOT NULL,
    count         INTEGER NOT NULL,
    PRIMARY KEY (payment_id, idx)
) WITHOUT ROWID;

CREATE TABLE allocations (
    payment_id TEXT NOT NULL REFERENCES payments(id),
    idx        INTEGER NOT NULL,
    invoice_id TEXT NOT NULL,
    item_code  TEXT NOT NULL,
    label      TEXT NOT NULL,
    amount     INTEGER NOT NULL,
    credit     INTEGER NOT NULL,
    PRIMARY KEY (payment_id, idx)
) WITHOUT ROWID;
CREATE INDEX allocations_invoice ON allocations(invoice_id);

CREATE TABLE cancellations (
    id          TEXT PRIMARY KEY,
    seq         INTEGER NOT NULL UNIQUE REFERENCES journal(seq),
    payment_id  TEXT NOT NULL UNIQUE REFERENCES payments(id),
    day         TEXT NOT NULL,
    agent       TEXT NOT NULL,
    approved_by TEXT NOT NULL,
    reason      TEXT NOT NULL
);

CREATE TABLE reprints (
    id         TEXT PRIMARY KEY,
    seq        INTEGER NOT NULL UNIQUE REFERENCES journal(seq),
    payment_id TEXT NOT NULL REFERENCES payments(id),
    agent      TEXT NOT NULL
);

CREATE TABLE logins (
    id      TEXT PRIMARY KEY,
    seq     INTEGER NOT NULL UNIQUE REFERENCES journal(seq),
    agent   TEXT NOT NULL,
    success INTEGER NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX logins_agent ON logins(agent, seq);

CREATE TABLE closings (
    id      TEXT PRIMARY KEY,
    seq     INTEGER NOT NULL UNIQUE REFERENCES journal(seq),
    day     TEXT NOT NULL UNIQUE,
    counted INTEGER NOT NULL,
    difference INTEGER NOT NULL
);

CREATE TABLE deposits (
    id    TEXT PRIMARY KEY,
    seq   INTEGER NOT NULL UNIQUE REFERENCES journal(seq),
    day   TEXT NOT NULL,
    cash  INTEGER NOT NULL,
    total INTEGER NOT NULL
);

CREATE TABLE deposit_checks (
    deposit_id TEXT NOT NULL REFERENCES deposits(id),
    payment_id TEXT NOT NULL REFERENCES payments(id),
    idx        INTEGER NOT NULL,
    PRIMARY KEY (payment_id, idx)
) WITHOUT ROWID;

CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;
CREATE TRIGGER sessions_no_update BEFORE UPDATE ON sessions BEGIN SELECT RAISE(ABORT, 'sessions is append-only'); END;
CREATE TRIGGER sessions_no_delete BEFORE DELETE ON sessions BEGIN SELECT RAISE(ABORT, 'sessions is append-only'); END;
CREATE TRIGGER payments_no_update BEFORE UPDATE ON payments BEGIN SELECT RAISE(ABORT, 'payments is append-only'); END;
CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments BEGIN SELECT RAISE(ABORT, 'payments is append-only'); END;
CREATE TRIGGER tenders_no_update BEFORE UPDATE ON tenders BEGIN SELECT RAISE(ABORT, 'tenders is append-only'); END;
CREATE TRIGGER tenders_no_delete BEFORE DELETE ON tenders BEGIN SELECT RAISE(ABORT, 'tenders is append-only'); END;
CREATE TRIGGER allocations_no_update BEFORE UPDATE ON allocations BEGIN SELECT RAISE(ABORT, 'allocations is append-only'); END;
CREATE TRIGGER allocations_no_delete BEFORE DELETE ON allocations BEGIN SELECT RAISE(ABORT, 'allocations is append-only'); END;
CREATE TRIGGER cancellations_no_update BEFORE UPDATE ON cancellations BEGIN SELECT RAISE(ABORT, 'cancellations is append-only'); END;
CREATE TRIGGER cancellations_no_delete BEFORE DELETE ON cancellations BEGIN SELECT RAISE(ABORT, 'cancellations is append-only'); END;
CREATE TRIGGER reprints_no_update BEFORE UPDATE ON reprints BEGIN SELECT RAISE(ABORT, 'reprints is append-only'); END;
CREATE TRIGGER reprints_no_delete BEFORE DELETE ON reprints BEGIN SELECT RAISE(ABORT, 'reprints is append-only'); END;
CREATE TRIGGER logins_no_update BEFORE UPDATE ON logins BEGIN SELECT RAISE(ABORT, 'logins is append-only'); END;
CREATE TRIGGER logins_no_delete BEFORE DELETE ON logins BEGIN SELECT RAISE(ABORT, 'logins is append-only'); END;
CREATE TRIGGER closings_no_update BEFORE UPDATE ON closings BEGIN SELECT RAISE(ABORT, 'closings is append-only'); END;
CREATE TRIGGER closings_no_delete BEFORE DELETE ON closings BEGIN SELECT RAISE(ABORT, 'closings is append-only'); END;
CREATE TRIGGER deposits_no_update BEFORE UPDATE ON deposits BEGIN SELECT RAISE(ABORT, 'deposits is append-only'); END;
CREATE TRIGGER deposits_no_delete BEFORE DELETE ON deposits BEGIN SELECT RAISE(ABORT, 'deposits is append-only'); END;
CREATE TRIGGER deposit_checks_no_update BEFORE UPDATE ON deposit_checks BEGIN SELECT RAISE(ABORT, 'deposit_checks is append-only'); END;
CREATE TRIGGER deposit_checks_no_delete BEFORE DELETE ON deposit_checks BEGIN SELECT RAISE(ABORT, 'deposit_checks is append-only'); END;
