-- Bank statements of the régies' accounts (camt.053 or CSV, server/bank).
-- An account belongs to one régie, bound at its first statement. Each entry
-- is kept once per account, keyed by the bank's own reference: a statement
-- imported again, or one that overlaps an earlier one, adds nothing. What
-- became of a credit is told by decisions, appended and never changed: a
-- payment recorded on the régie's back-office counter (automatically at
-- import, or assigned or split by the régisseur), or the choice to leave
-- it as a credit still to identify; at most one decision of an entry
-- records a payment. Outcome is what matching found at import.
CREATE TABLE bank_accounts (
    iban     TEXT PRIMARY KEY,
    regie    TEXT NOT NULL REFERENCES regies(code),
    bound_at TEXT NOT NULL
);

CREATE TABLE bank_statements (
    id          TEXT PRIMARY KEY,
    regie       TEXT NOT NULL REFERENCES regies(code),
    iban        TEXT NOT NULL REFERENCES bank_accounts(iban),
    format      TEXT NOT NULL,
    stmt_ref    TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    filename    TEXT NOT NULL,
    from_day    TEXT NOT NULL,
    to_day      TEXT NOT NULL,
    entries     INTEGER NOT NULL,
    added       INTEGER NOT NULL,
    staff_id    TEXT NOT NULL,
    imported_at TEXT NOT NULL
);
CREATE INDEX bank_statements_regie ON bank_statements(regie, imported_at);

CREATE TABLE bank_entries (
    id           TEXT PRIMARY KEY,
    regie        TEXT NOT NULL REFERENCES regies(code),
    iban         TEXT NOT NULL REFERENCES bank_accounts(iban),
    ref          TEXT NOT NULL,
    statement_id TEXT NOT NULL REFERENCES bank_statements(id),
    idx          INTEGER NOT NULL,
    booking_day  TEXT NOT NULL,
    value_day    TEXT NOT NULL,
    amount       INTEGER NOT NULL CHECK (amount > 0),
    direction    TEXT NOT NULL CHECK (direction IN ('credit', 'debit')),
    mode         TEXT NOT NULL CHECK (mode IN ('', 'transfer', 'direct_debit')),
    code         TEXT NOT NULL,
    remitter     TEXT NOT NULL,
    remittance   TEXT NOT NULL,
    outcome      TEXT NOT NULL CHECK (outcome IN ('matched', 'ambiguous', 'unmatched', 'other', 'debit')),
    candidates   TEXT NOT NULL,
    UNIQUE (iban, ref)
);
CREATE INDEX bank_entries_statement ON bank_entries(statement_id, idx);
CREATE INDEX bank_entries_regie ON bank_entries(regie, outcome);

CREATE TABLE bank_decisions (
    id           TEXT PRIMARY KEY,
    entry_id     TEXT NOT NULL REFERENCES bank_entries(id),
    regie        TEXT NOT NULL REFERENCES regies(code),
    kind         TEXT NOT NULL CHECK (kind IN ('auto', 'assign', 'split', 'leave')),
    payment_id   TEXT NOT NULL,
    receipt      TEXT NOT NULL,
    household_id TEXT NOT NULL,
    staff_id     TEXT NOT NULL,
    at           TEXT NOT NULL,
    comment      TEXT NOT NULL,
    CHECK ((kind = 'leave') = (payment_id = ''))
);
CREATE INDEX bank_decisions_entry ON bank_decisions(entry_id, at);
CREATE UNIQUE INDEX bank_decisions_paid ON bank_decisions(entry_id) WHERE payment_id <> '';

CREATE TRIGGER bank_accounts_no_update BEFORE UPDATE ON bank_accounts BEGIN SELECT RAISE(ABORT, 'bank_accounts is append-only'); END;
CREATE TRIGGER bank_accounts_no_delete BEFORE DELETE ON bank_accounts BEGIN SELECT RAISE(ABORT, 'bank_accounts is append-only'); END;
CREATE TRIGGER bank_statements_no_update BEFORE UPDATE ON bank_statements BEGIN SELECT RAISE(ABORT, 'bank_statements is append-only'); END;
CREATE TRIGGER bank_statements_no_delete BEFORE DELETE ON bank_statements BEGIN SELECT RAISE(ABORT, 'bank_statements is append-only'); END;
CREATE TRIGGER bank_entries_no_update BEFORE UPDATE ON bank_entries BEGIN SELECT RAISE(ABORT, 'bank_entries is append-only'); END;
CREATE TRIGGER bank_entries_no_delete BEFORE DELETE ON bank_entries BEGIN SELECT RAISE(ABORT, 'bank_entries is append-only'); END;
CREATE TRIGGER bank_decisions_no_update BEFORE UPDATE ON bank_decisions BEGIN SELECT RAISE(ABORT, 'bank_decisions is append-only'); END;
CREATE TRIGGER bank_decisions_no_delete BEFORE DELETE ON bank_decisions BEGIN SELECT RAISE(ABORT, 'bank_decisions is append-only'); END;
