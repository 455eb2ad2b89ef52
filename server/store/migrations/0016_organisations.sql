-- foreign_keys: off
-- Tenancy: every régie belongs to an organisation (a city), and so do the
-- households imported for it and the back-office's staff; invoices belong
-- to their régie's organisation, and their household must be of the same
-- one. A file from before holds one city: one organisation, 'ville', takes
-- every régie, household and staff account, so an upgrade has nothing to
-- do. Its name is left empty: the portal then keeps showing REGIE_CITY as
-- before, until an administrator names it (regie-serveur organisations
-- set ville --name …).
--
-- Household accounts and invoice numbers were unique server-wide; two
-- cities both have an account "1", so they become unique per organisation
-- (households) and per régie (invoices: each régie's billing software
-- numbers its own, and a régie is in one organisation). SQLite cannot drop
-- an inline UNIQUE: both tables are rebuilt (create, copy, drop, rename),
-- with their indexes and triggers made again identically, which is why
-- this migration runs with the foreign keys off (checked before commit).

CREATE TABLE organisations (
    code       TEXT PRIMARY KEY CHECK (code <> ''),
    -- the city's name as citizens read it; '' for the organisation an
    -- upgrade made, until named.
    name       TEXT NOT NULL,
    -- the portal's address (the request's Host, lower case, without
    -- port); NULL when unset. Unique: a host picks one organisation.
    host       TEXT UNIQUE CHECK (host IS NULL OR host <> ''),
    -- {"color": "#rrggbb", "header": "…", "logo": "/…"}
    look       TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL
);

INSERT INTO organisations (code, name, host, look, created_at)
VALUES ('ville', '', NULL, '{}', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));

-- Régies and staff: a column added. Its default '' names no organisation,
-- so a write that forgets the organisation fails on the foreign key
-- instead of landing in some city.
ALTER TABLE regies ADD COLUMN org TEXT NOT NULL DEFAULT '' REFERENCES organisations(code);
UPDATE regies SET org = 'ville';
CREATE INDEX regies_org ON regies(org);

ALTER TABLE staff ADD COLUMN org TEXT NOT NULL DEFAULT '' REFERENCES organisations(code);
UPDATE staff SET org = 'ville';
CREATE INDEX staff_org ON staff(org);

-- The audit trail: each entry is of the organisation whose back-office
-- (or command) recorded it, and each organisation's administrators read
-- their own. The column is not in the entry's hash (entries chained before
-- it existed keep theirs); the append-only trigger is lifted for the one
-- UPDATE that files the existing entries under the one city.
ALTER TABLE audit ADD COLUMN org TEXT NOT NULL DEFAULT '';
DROP TRIGGER audit_no_update;
UPDATE audit SET org = 'ville';
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE INDEX audit_org ON audit(org, seq);

-- Households, rebuilt with their organisation and UNIQUE (org, account).
CREATE TABLE households_new (
    id      TEXT PRIMARY KEY,
    org     TEXT NOT NULL REFERENCES organisations(code),
    account TEXT NOT NULL,
    name    TEXT NOT NULL,
    data    TEXT NOT NULL,
    rev     INTEGER NOT NULL,
    UNIQUE (org, account)
);
INSERT INTO households_new (id, org, account, name, data, rev)
SELECT id, 'ville', account, name, data, rev FROM households;
DROP TABLE households;
ALTER TABLE households_new RENAME TO households;
CREATE INDEX households_rev ON households(rev);
-- a counter pulls its organisation's households only.
CREATE INDEX households_org_rev ON households(org, rev);
CREATE INDEX households_access_code ON households(json_extract(data, '$.access_code'));
-- the search by account across the régies a member of staff sees.
CREATE INDEX households_account ON households(account);
CREATE TRIGGER household_words_add AFTER INSERT ON households BEGIN
    INSERT OR IGNORE INTO household_words (word, household_id)
    SELECT value, NEW.id FROM json_each(regie_name_words(NEW.name));
END;
CREATE TRIGGER household_words_rename AFTER UPDATE OF name ON households WHEN NEW.name IS NOT OLD.name BEGIN
    DELETE FROM household_words WHERE household_id = OLD.id;
    INSERT OR IGNORE INTO household_words (word, household_id)
    SELECT value, NEW.id FROM json_each(regie_name_words(NEW.name));
END;

-- Invoices, rebuilt with UNIQUE (regie, number).
CREATE TABLE invoices_new (
    id           TEXT PRIMARY KEY,
    number       TEXT NOT NULL,
    household_id TEXT NOT NULL REFERENCES households(id),
    regie        TEXT NOT NULL REFERENCES regies(code),
    amount       INTEGER NOT NULL,
    paid         INTEGER NOT NULL DEFAULT 0,
    data         TEXT NOT NULL,
    rev          INTEGER NOT NULL,
    UNIQUE (regie, number)
);
INSERT INTO invoices_new (id, number, household_id, regie, amount, paid, data, rev)
SELECT id, number, household_id, regie, amount, paid, data, rev FROM invoices;
DROP TABLE invoices;
ALTER TABLE invoices_new RENAME TO invoices;
CREATE INDEX invoices_rev ON invoices(regie, rev);
CREATE INDEX invoices_household ON invoices(household_id);
CREATE INDEX invoices_number ON invoices(number);

-- What no write path may do, whichever it is (import, back-office,
-- command, a tool with SQL): move a régie, household or staff account to
-- another organisation, bill a household of one city on a régie of
-- another, record a payment of one city's household at another's régie,
-- or grant a member of staff a régie of another organisation.
CREATE TRIGGER regies_org_fixed BEFORE UPDATE OF org ON regies WHEN NEW.org IS DISTINCT FROM OLD.org BEGIN
    SELECT RAISE(ABORT, 'a régie stays in its organisation');
END;
CREATE TRIGGER households_org_fixed BEFORE UPDATE OF org ON households WHEN NEW.org IS DISTINCT FROM OLD.org BEGIN
    SELECT RAISE(ABORT, 'a household stays in its organisation');
END;
CREATE TRIGGER staff_org_fixed BEFORE UPDATE OF org ON staff WHEN NEW.org IS DISTINCT FROM OLD.org BEGIN
    SELECT RAISE(ABORT, 'a staff account stays in its organisation');
END;
CREATE TRIGGER invoices_same_org_insert BEFORE INSERT ON invoices
WHEN (SELECT org FROM households WHERE id = NEW.household_id) IS DISTINCT FROM (SELECT org FROM regies WHERE code = NEW.regie) BEGIN
    SELECT RAISE(ABORT, 'an invoice''s household and régie are of different organisations');
END;
CREATE TRIGGER invoices_same_org_update BEFORE UPDATE OF household_id, regie ON invoices
WHEN (SELECT org FROM households WHERE id = NEW.household_id) IS DISTINCT FROM (SELECT org FROM regies WHERE code = NEW.regie) BEGIN
    SELECT RAISE(ABORT, 'an invoice''s household and régie are of different organisations');
END;
CREATE TRIGGER invoices_org_fixed BEFORE UPDATE OF regie ON invoices
WHEN (SELECT org FROM regies WHERE code = NEW.regie) IS DISTINCT FROM (SELECT org FROM regies WHERE code = OLD.regie) BEGIN
    SELECT RAISE(ABORT, 'an invoice stays in its organisation');
END;
CREATE TRIGGER payments_same_org BEFORE INSERT ON payments
WHEN NEW.household_id <> '' AND EXISTS (SELECT 1 FROM households h, regies r
    WHERE h.id = NEW.household_id AND r.code = NEW.regie AND h.org <> r.org) BEGIN
    SELECT RAISE(ABORT, 'a payment''s household and régie are of different organisations');
END;
CREATE TRIGGER staff_grants_same_org_insert BEFORE INSERT ON staff_grants
WHEN NEW.regie <> '' AND (SELECT org FROM regies WHERE code = NEW.regie) IS DISTINCT FROM (SELECT org FROM staff WHERE id = NEW.staff_id) BEGIN
    SELECT RAISE(ABORT, 'a grant names a régie of another organisation');
END;
CREATE TRIGGER staff_grants_same_org_update BEFORE UPDATE ON staff_grants
WHEN NEW.regie <> '' AND (SELECT org FROM regies WHERE code = NEW.regie) IS DISTINCT FROM (SELECT org FROM staff WHERE id = NEW.staff_id) BEGIN
    SELECT RAISE(ABORT, 'a grant names a régie of another organisation');
END;
