-- Counters that live on the server (ARCHITECTURE rule 10): each régie has a
-- back-office counter (and, with issue 12, an online one) whose journal is
-- in this database, chained and checked by the same rules as a desk's. The
-- kind tells them apart: 'desk' for the counters that enrol, 'backoffice'
-- and 'online' for those the server itself records on. A server counter
-- has no enrolment code and no credential, ever: the triggers refuse them,
-- so no machine can enrol as one and push to its journal.
ALTER TABLE counters ADD COLUMN kind TEXT NOT NULL DEFAULT 'desk'
    CHECK (kind IN ('desk', 'backoffice', 'online'));

CREATE TRIGGER counters_server_no_credential_insert BEFORE INSERT ON counters
    WHEN NEW.kind <> 'desk' AND (NEW.enrol_hash IS NOT NULL OR NEW.credential_hash IS NOT NULL)
    BEGIN SELECT RAISE(ABORT, 'a server counter never enrols'); END;
CREATE TRIGGER counters_server_no_credential_update BEFORE UPDATE ON counters
    WHEN NEW.kind <> 'desk' AND (NEW.enrol_hash IS NOT NULL OR NEW.credential_hash IS NOT NULL)
    BEGIN SELECT RAISE(ABORT, 'a server counter never enrols'); END;
CREATE TRIGGER counters_kind_fixed BEFORE UPDATE OF kind ON counters
    WHEN NEW.kind <> OLD.kind
    BEGIN SELECT RAISE(ABORT, 'a counter''s kind never changes'); END;

-- The procès-verbaux de vérification de caisse, found by régie without
-- reading every journal.
CREATE INDEX IF NOT EXISTS journal_verifications ON journal(counter_id, seq) WHERE kind = 'cash_verification';
CREATE INDEX IF NOT EXISTS journal_settings ON journal(counter_id, seq) WHERE kind = 'settings';
