-- What the back-office's dashboard knows of the counters besides their
-- journals: when each last called the server and how far its own journal
-- goes (it says so on every request), every push the server refused and
-- why, and the result of every verification of a counter's chain. The
-- refusals and the checks are append-only, like the journal.

-- One row a counter: the last request it made, and the head of its own
-- journal it last reported (NULL when its program does not report it).
CREATE TABLE IF NOT EXISTS counter_sync (
    counter_id    INTEGER PRIMARY KEY REFERENCES counters(id),
    seen_at       TEXT NOT NULL,
    reported_head INTEGER,
    reported_at   TEXT
);

-- A push refused: written in a transaction of its own once the refused
-- batch has been rolled back, so nothing of the batch is kept but its first
-- refused entry's seq, the rule's code and the French message the counter got.
CREATE TABLE IF NOT EXISTS sync_refusals (
    id         INTEGER PRIMARY KEY,
    counter_id INTEGER NOT NULL REFERENCES counters(id),
    at         TEXT NOT NULL,
    status     INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    code       TEXT NOT NULL,
    message    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sync_refusals_counter ON sync_refusals(counter_id, id);

-- A verification of one counter's journal on the server (regie-serveur
-- verify, or the server's periodic check): broken_seq is where the chain
-- breaks (NULL when it holds), problems the entries or rows that break a
-- rule, first_problem the first of them in French.
CREATE TABLE IF NOT EXISTS chain_checks (
    id            INTEGER PRIMARY KEY,
    counter_id    INTEGER NOT NULL REFERENCES counters(id),
    at            TEXT NOT NULL,
    entries       INTEGER NOT NULL,
    broken_seq    INTEGER,
    broken_motif  TEXT NOT NULL DEFAULT '',
    problems      INTEGER NOT NULL,
    first_problem TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS chain_checks_counter ON chain_checks(counter_id, id);

-- The days a counter opened its till: with the closings' index, the days
-- not closed are found without reading the journal.
CREATE INDEX IF NOT EXISTS journal_session_days ON journal(counter_id, json_extract(data, '$.day')) WHERE kind = 'session_opened';

-- The payments that may hold a cheque: a tender's mode "check" is written
-- either plainly or with a \u escape (the only way JSON spells a letter
-- otherwise), so every payment with a cheque is in this index; the cheques
-- still held are looked for among them only, each payment decoded to be sure.
CREATE INDEX IF NOT EXISTS journal_check_payments ON journal(counter_id, seq)
    WHERE kind = 'payment' AND (instr(data, 'check') > 0 OR instr(data, '\u') > 0);

CREATE TRIGGER IF NOT EXISTS sync_refusals_no_update BEFORE UPDATE ON sync_refusals BEGIN SELECT RAISE(ABORT, 'sync_refusals is append-only'); END;
CREATE TRIGGER IF NOT EXISTS sync_refusals_no_delete BEFORE DELETE ON sync_refusals BEGIN SELECT RAISE(ABORT, 'sync_refusals is append-only'); END;
CREATE TRIGGER IF NOT EXISTS chain_checks_no_update BEFORE UPDATE ON chain_checks BEGIN SELECT RAISE(ABORT, 'chain_checks is append-only'); END;
CREATE TRIGGER IF NOT EXISTS chain_checks_no_delete BEFORE DELETE ON chain_checks BEGIN SELECT RAISE(ABORT, 'chain_checks is append-only'); END;
