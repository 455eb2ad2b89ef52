-- What the journal rules (regie.JournalRules) look up in a counter's past
-- when a push is checked: the day's payments and cancellations (a closing's
-- totals), the days closed, the deposits and the cheques they hand over.
-- Each lookup is a few index probes, so a push costs the same whatever the
-- size of the counter's history. Closings and deposits are a few rows a
-- day: their partial indexes cost nothing to the payments' inserts.
CREATE INDEX IF NOT EXISTS payments_counter_day ON payments(counter_id, day);
CREATE INDEX IF NOT EXISTS cancellations_counter_day ON cancellations(counter_id, day);
CREATE INDEX IF NOT EXISTS journal_closing_days ON journal(counter_id, json_extract(data, '$.day')) WHERE kind = 'closing';
CREATE INDEX IF NOT EXISTS journal_deposit_days ON journal(counter_id, json_extract(data, '$.day')) WHERE kind = 'deposit';

-- Every version of a régie's settings, as SaveRegie wrote them: a counter
-- that cashed offline under settings since changed (a mode withdrawn, a
-- lower cash limit) applied the ones it had, and its payments are checked
-- against any version the régie had, not only the latest.
CREATE TABLE IF NOT EXISTS regie_settings_history (
    id       INTEGER PRIMARY KEY,
    regie    TEXT NOT NULL,
    settings TEXT NOT NULL,
    rev      INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS regie_settings_history_regie ON regie_settings_history(regie);
INSERT INTO regie_settings_history (regie, settings, rev) SELECT code, settings, rev FROM regies;
