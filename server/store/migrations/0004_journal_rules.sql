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
