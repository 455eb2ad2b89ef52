-- The central server's database. Reference tables (régies, counters, agents,
-- items, households, invoices) are kept up to date by the administrators and
-- the imports; each row carries the revision it was last changed at, which is
-- what a counter's pull cursor counts. The journal and what is derived from
-- it are append-only: the triggers at the end refuse UPDATE and DELETE.

CREATE TABLE meta (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    store_id TEXT NOT NULL,
    rev      INTEGER NOT NULL
);

CREATE TABLE regies (
    code     TEXT PRIMARY KEY,
    settings TEXT NOT NULL,
    rev      INTEGER NOT NULL
);

CREATE TABLE counters (
    id              INTEGER PRIMARY KEY,
    regie           TEXT NOT NULL REFERENCES regies(code),
    code            TEXT NOT NULL,
    name            TEXT NOT NULL,
    enrol_hash      TEXT UNIQUE,
    enrol_expires   TEXT,
    credential_hash TEXT UNIQUE,
    revoked_at      TEXT,
    created_at      TEXT NOT NULL,
    rev             INTEGER NOT NULL,
    UNIQUE (regie, code)
);

CREATE TABLE agents (
    id       TEXT PRIMARY KEY,
    regie    TEXT NOT NULL REFERENCES regies(code),
    login    TEXT NOT NULL,
    name     TEXT NOT NULL,
    role     TEXT NOT NULL,
    pin_hash TEXT NOT NULL,
    active   INTEGER NOT NULL,
    rev      INTEGER NOT NULL,
    UNIQUE (regie, login)
);

CREATE TABLE items (
    regie    TEXT NOT NULL REFERENCES regies(code),
    code     TEXT NOT NULL,
    label    TEXT NOT NULL,
    category TEXT NOT NULL,
    price    INTEGER NOT NULL,
    active   INTEGER NOT NULL,
    rev      INTEGER NOT NULL,
    PRIMARY KEY (regie, code)
);
CREATE INDEX items_rev ON items(regie, rev);

CREATE TABLE households (
    id      TEXT PRIMARY KEY,
    account TEXT NOT NULL UNIQUE,
    name    TEXT NOT NULL,
    data    TEXT NOT NULL,
    rev     INTEGER NOT NULL
);
CREATE INDEX households_rev ON households(rev);

-- paid is the sum of what every counter cashed on the invoice, cancellations
-- deducted; remaining is max(amount - paid, 0) and any excess is in credits.
CREATE TABLE invoices (
    id           TEXT PRIMARY KEY,
    number       TEXT NOT NULL UNIQUE,
    household_id TEXT NOT NULL REFERENCES households(id),
    regie        TEXT NOT NULL REFERENCES regies(code),
    amount       INTEGER NOT NULL,
    paid         INTEGER NOT NULL DEFAULT 0,
    data         TEXT NOT NULL,
    rev          INTEGER NOT NULL
);
CREATE INDEX invoices_rev ON invoices(regie, rev);
CREATE INDEX invoices_household ON invoices(household_id);

CREATE TABLE journal (
    counter_id  INTEGER NOT NULL REFERENCES counters(id),
    seq         INTEGER NOT NULL,
    id          TEXT NOT NULL,
    kind        TEXT NOT NULL,
    at          TEXT NOT NULL,
    agent       TEXT NOT NULL,
    data        TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (counter_id, seq),
    UNIQUE (counter_id, id)
) WITHOUT ROWID;

-- payments and allocations index what the journal's payments hold, for the
-- queries the server makes (a receipt, an invoice's payments, exports); the
-- tenders and everything else are read from the journal entry's data.
CREATE TABLE payments (
    id           TEXT PRIMARY KEY,
    counter_id   INTEGER NOT NULL,
    seq          INTEGER NOT NULL,
    receipt      TEXT NOT NULL UNIQUE,
    regie        TEXT NOT NULL,
    counter      TEXT NOT NULL,
    day          TEXT NOT NULL,
    at           TEXT NOT NULL,
    agent        TEXT NOT NULL,
    household_id TEXT NOT NULL,
    account      TEXT NOT NULL,
    payer        TEXT NOT NULL,
    total        INTEGER NOT NULL,
    FOREIGN KEY (counter_id, seq) REFERENCES journal(counter_id, seq)
);
CREATE INDEX payments_at ON payments(at);

CREATE TABLE allocations (
    payment_id     TEXT NOT NULL REFERENCES payments(id),
    idx            INTEGER NOT NULL,
    invoice_id     TEXT NOT NULL,
    invoice_number TEXT NOT NULL,
    item_code      TEXT NOT NULL,
    label          TEXT NOT NULL,
    amount         INTEGER NOT NULL,
    credit         INTEGER NOT NULL,
    PRIMARY KEY (payment_id, idx)
) WITHOUT ROWID;
CREATE INDEX allocations_invoice ON allocations(invoice_id);

CREATE TABLE cancellations (
    id          TEXT PRIMARY KEY,
    payment_id  TEXT NOT NULL UNIQUE REFERENCES payments(id),
    counter_id  INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    day         TEXT NOT NULL,
    at          TEXT NOT NULL,
    agent       TEXT NOT NULL,
    approved_by TEXT NOT NULL,
    reason      TEXT NOT NULL,
    comment     TEXT NOT NULL,
    FOREIGN KEY (counter_id, seq) REFERENCES journal(counter_id, seq)
);
CREATE INDEX cancellations_at ON cancellations(at);

-- A credit row records a change of an invoice's excess (trop-perçu): positive
-- when a payment brings what was paid above the amount (two counters cashing
-- the same invoice offline), negative when a cancellation takes it back. The
-- household's credit is the sum of its rows.
CREATE TABLE credits (
    id           INTEGER PRIMARY KEY,
    invoice_id   TEXT NOT NULL,
    household_id TEXT NOT NULL,
    payment_id   TEXT NOT NULL,
    entry_id     TEXT NOT NULL,
    counter_id   INTEGER NOT NULL,
    seq          INTEGER NOT NULL,
    amount       INTEGER NOT NULL,
    at           TEXT NOT NULL
);
CREATE INDEX credits_household ON credits(household_id);
CREATE INDEX credits_invoice ON credits(invoice_id);

CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;
CREATE TRIGGER payments_no_update BEFORE UPDATE ON payments BEGIN SELECT RAISE(ABORT, 'payments is append-only'); END;
CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments BEGIN SELECT RAISE(ABORT, 'payments is append-only'); END;
CREATE TRIGGER allocations_no_update BEFORE UPDATE ON allocations BEGIN SELECT RAISE(ABORT, 'allocations is append-only'); END;
CREATE TRIGGER allocations_no_delete BEFORE DELETE ON allocations BEGIN SELECT RAISE(ABORT, 'allocations is append-only'); END;
CREATE TRIGGER cancellations_no_update BEFORE UPDATE ON cancellations BEGIN SELECT RAISE(ABORT, 'cancellations is append-only'); END;
CREATE TRIGGER cancellations_no_delete BEFORE DELETE ON cancellations BEGIN SELECT RAISE(ABORT, 'cancellations is append-only'); END;
CREATE TRIGGER credits_no_update BEFORE UPDATE ON credits BEGIN SELECT RAISE(ABORT, 'credits is append-only'); END;
CREATE TRIGGER credits_no_delete BEFORE DELETE ON credits BEGIN SELECT RAISE(ABORT, 'credits is append-only'); END;
