-- Reference data pulled from the server: a cache, replaced as a whole or row
-- by row at each pull. Not part of the journal.

CREATE TABLE identity (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    regie   TEXT NOT NULL,
    counter TEXT NOT NULL,
    name    TEXT NOT NULL
);

CREATE TABLE settings (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    data TEXT NOT NULL
);

CREATE TABLE agents (
    id       TEXT PRIMARY KEY,
    login    TEXT NOT NULL UNIQUE,
    name     TEXT NOT NULL,
    role     TEXT NOT NULL,
    pin_hash TEXT NOT NULL,
    active   INTEGER NOT NULL
);

CREATE TABLE households (
    id      TEXT PRIMARY KEY,
    account TEXT NOT NULL UNIQUE,
    name    TEXT NOT NULL,
    search  TEXT NOT NULL,
    data    TEXT NOT NULL
);

CREATE TABLE invoices (
    id           TEXT PRIMARY KEY,
    number       TEXT NOT NULL UNIQUE,
    household_id TEXT NOT NULL REFERENCES households(id),
    label        TEXT NOT NULL,
    amount       INTEGER NOT NULL,
    remaining    INTEGER NOT NULL,
    -- as_of_seq is the last journal seq of this counter that the server had
    -- applied when it computed remaining: later local payments still count.
    as_of_seq    INTEGER NOT NULL DEFAULT 0,
    due_on       TEXT NOT NULL,
    data         TEXT NOT NULL
);
CREATE INDEX invoices_household ON invoices(household_id);

CREATE TABLE catalogue (
    code     TEXT PRIMARY KEY,
    label    TEXT NOT NULL,
    category TEXT NOT NULL,
    price    INTEGER NOT NULL,
    active   INTEGER NOT NULL
);
