-- The back-office's journal search across counters (issue 11, search.go).
-- The journal stays the truth: what is added here is indexes, which SQLite
-- keeps by itself, and two small tables filled by triggers in the
-- transaction that writes what they derive from, whoever writes it (a push,
-- an import, a tool), and filled below for the rows already stored.
--
-- A search is run once per régie the visitor may see (the scope), each
-- newest first with a LIMIT, and the pages merged: each of these indexes
-- starts with the régie so that a small régie is not found by walking a
-- large one's rows.
CREATE INDEX payments_regie_at ON payments(regie, at, id);
CREATE INDEX payments_regie_total ON payments(regie, total, at, id);

-- A search by household (account or name) reads portal_payments
-- (migration 0003) by household and régie, in this index alone: it holds
-- the order and the day, so a household's payments are never read from
-- the table to find a page.
CREATE INDEX portal_payments_search ON portal_payments(household_id, regie, at, payment_id, day);

-- The modes a payment was paid with, one bit each (search_fold.go:
-- cash 1, check 2, card 4, transfer 8, direct_debit 16, online 32,
-- holiday_check 64, cesu 128), read from the journal entry's tenders.
-- verify rebuilds it from the journal and compares it (verify_tables.go).
CREATE TABLE payment_modes (
    payment_id TEXT PRIMARY KEY,
    modes      INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER payment_modes_add AFTER INSERT ON payments BEGIN
    INSERT INTO payment_modes (payment_id, modes)
    SELECT NEW.id, coalesce((SELECT sum(DISTINCT CASE t.value ->> 'mode'
            WHEN 'cash' THEN 1 WHEN 'check' THEN 2 WHEN 'card' THEN 4 WHEN 'transfer' THEN 8
            WHEN 'direct_debit' THEN 16 WHEN 'online' THEN 32 WHEN 'holiday_check' THEN 64 WHEN 'cesu' THEN 128
            ELSE 0 END) FROM json_each(j.data, '$.tenders') t), 0)
    FROM journal j WHERE j.counter_id = NEW.counter_id AND j.seq = NEW.seq;
END;
CREATE TRIGGER payment_modes_no_update BEFORE UPDATE ON payment_modes BEGIN SELECT RAISE(ABORT, 'payment_modes is append-only'); END;
CREATE TRIGGER payment_modes_no_delete BEFORE DELETE ON payment_modes BEGIN SELECT RAISE(ABORT, 'payment_modes is append-only'); END;

-- The words of each household's name, folded as regie.FoldName folds
-- (without case, accents, hyphens or apostrophes): a search by name looks
-- each word typed up as the start of a word of the name. regie_name_words
-- is the Go function search_fold.go registers with the driver: a JSON
-- array of the distinct folded words. Households are reference data the
-- imports update, so this table follows them (verify compares it too).
CREATE TABLE household_words (
    word         TEXT NOT NULL,
    household_id TEXT NOT NULL,
    PRIMARY KEY (word, household_id)
) WITHOUT ROWID;
CREATE INDEX household_words_household ON household_words(household_id);

CREATE TRIGGER household_words_add AFTER INSERT ON households BEGIN
    INSERT OR IGNORE INTO household_words (word, household_id)
    SELECT value, NEW.id FROM json_each(regie_name_words(NEW.name));
END;
CREATE TRIGGER household_words_rename AFTER UPDATE OF name ON households WHEN NEW.name IS NOT OLD.name BEGIN
    DELETE FROM household_words WHERE household_id = OLD.id;
    INSERT OR IGNORE INTO household_words (word, household_id)
    SELECT value, NEW.id FROM json_each(regie_name_words(NEW.name));
END;

-- A payment's reprints (DUPLICATA), for its detail: a partial index of
-- the reprint entries only, by the payment they name.
CREATE INDEX journal_reprints ON journal(json_extract(data, '$.payment_id')) WHERE kind = 'reprint';

-- What is already stored.
INSERT INTO payment_modes (payment_id, modes)
SELECT p.id, coalesce((SELECT sum(DISTINCT CASE t.value ->> 'mode'
        WHEN 'cash' THEN 1 WHEN 'check' THEN 2 WHEN 'card' THEN 4 WHEN 'transfer' THEN 8
        WHEN 'direct_debit' THEN 16 WHEN 'online' THEN 32 WHEN 'holiday_check' THEN 64 WHEN 'cesu' THEN 128
        ELSE 0 END) FROM json_each(j.data, '$.tenders') t), 0)
FROM payments p JOIN journal j ON j.counter_id = p.counter_id AND j.seq = p.seq;

INSERT OR IGNORE INTO household_words (word, household_id)
SELECT w.value, h.id FROM households h, json_each(regie_name_words(h.name)) w;
