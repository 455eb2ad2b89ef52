-- Tenancy, the twin of ../migrations/0016_organisations.sql (read its
-- comments): organisations; régies, households, staff and audit entries
-- filed under one; household accounts unique per organisation, invoice
-- numbers per régie; the same refusals as SQLite's triggers, as PL/pgSQL
-- functions. PostgreSQL changes a constraint in place: nothing is rebuilt.
-- The columns added get 'ville' for the rows already there, then the
-- default of SQLite's file ('' for régies, staff and audit, none for
-- households), so that a write naming no organisation fails here too.

CREATE TABLE organisations (
    code       TEXT COLLATE "C" PRIMARY KEY CHECK (code <> ''),
    name       TEXT COLLATE "C" NOT NULL,
    host       TEXT COLLATE "C" UNIQUE CHECK (host IS NULL OR host <> ''),
    look       TEXT COLLATE "C" NOT NULL DEFAULT '{}',
    created_at TEXT COLLATE "C" NOT NULL
);

INSERT INTO organisations (code, name, host, look, created_at)
VALUES ('ville', '', NULL, '{}', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));

ALTER TABLE regies ADD COLUMN org TEXT COLLATE "C" NOT NULL DEFAULT 'ville' REFERENCES organisations(code);
ALTER TABLE regies ALTER COLUMN org SET DEFAULT '';
CREATE INDEX regies_org ON regies(org);

ALTER TABLE staff ADD COLUMN org TEXT COLLATE "C" NOT NULL DEFAULT 'ville' REFERENCES organisations(code);
ALTER TABLE staff ALTER COLUMN org SET DEFAULT '';
CREATE INDEX staff_org ON staff(org);

-- Adding a column with its default writes no row: the append-only
-- trigger of audit does not fire.
ALTER TABLE audit ADD COLUMN org TEXT COLLATE "C" NOT NULL DEFAULT 'ville';
ALTER TABLE audit ALTER COLUMN org SET DEFAULT '';
CREATE INDEX audit_org ON audit(org, seq);

ALTER TABLE households ADD COLUMN org TEXT COLLATE "C" NOT NULL DEFAULT 'ville' REFERENCES organisations(code);
ALTER TABLE households ALTER COLUMN org DROP DEFAULT;
ALTER TABLE households DROP CONSTRAINT households_account_key;
ALTER TABLE households ADD CONSTRAINT households_org_account_key UNIQUE (org, account);
CREATE INDEX households_org_rev ON households(org, rev);
CREATE INDEX households_account ON households(account);

ALTER TABLE invoices DROP CONSTRAINT invoices_number_key;
ALTER TABLE invoices ADD CONSTRAINT invoices_regie_number_key UNIQUE (regie, number);
CREATE INDEX invoices_number ON invoices(number);

CREATE FUNCTION regie_org_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.org IS DISTINCT FROM OLD.org THEN
        RAISE EXCEPTION 'a row of % stays in its organisation', TG_TABLE_NAME;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER regies_org_fixed BEFORE UPDATE OF org ON regies FOR EACH ROW EXECUTE FUNCTION regie_org_fixed();
CREATE TRIGGER households_org_fixed BEFORE UPDATE OF org ON households FOR EACH ROW EXECUTE FUNCTION regie_org_fixed();
CREATE TRIGGER staff_org_fixed BEFORE UPDATE OF org ON staff FOR EACH ROW EXECUTE FUNCTION regie_org_fixed();

CREATE FUNCTION regie_invoice_org() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT org FROM households WHERE id = NEW.household_id) IS DISTINCT FROM (SELECT org FROM regies WHERE code = NEW.regie) THEN
        RAISE EXCEPTION 'an invoice''s household and régie are of different organisations';
    END IF;
    IF TG_OP = 'UPDATE' AND (SELECT org FROM regies WHERE code = NEW.regie) IS DISTINCT FROM (SELECT org FROM regies WHERE code = OLD.regie) THEN
        RAISE EXCEPTION 'an invoice stays in its organisation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER invoices_same_org BEFORE INSERT OR UPDATE OF household_id, regie ON invoices
    FOR EACH ROW EXECUTE FUNCTION regie_invoice_org();

CREATE FUNCTION regie_payment_org() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.household_id <> '' AND EXISTS (SELECT 1 FROM households h, regies r
        WHERE h.id = NEW.household_id AND r.code = NEW.regie AND h.org <> r.org) THEN
        RAISE EXCEPTION 'a payment''s household and régie are of different organisations';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER payments_same_org BEFORE INSERT ON payments FOR EACH ROW EXECUTE FUNCTION regie_payment_org();

CREATE FUNCTION regie_grant_org() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.regie <> '' AND (SELECT org FROM regies WHERE code = NEW.regie) IS DISTINCT FROM (SELECT org FROM staff WHERE id = NEW.staff_id) THEN
        RAISE EXCEPTION 'a grant names a régie of another organisation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER staff_grants_same_org BEFORE INSERT OR UPDATE ON staff_grants FOR EACH ROW EXECUTE FUNCTION regie_grant_org();
