-- The cheques in the till: a derived index, not a record. A row is added
-- with a cheque payment and removed when the cheque is deposited or its
-- payment cancelled, so that what the till holds is read without scanning
-- every cheque ever taken. verify checks it against the journal.

CREATE TABLE checks_held (
    payment_id TEXT NOT NULL REFERENCES payments(id),
    idx        INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    PRIMARY KEY (payment_id, idx)
) WITHOUT ROWID;

INSERT INTO checks_held (payment_id, idx, seq)
SELECT t.payment_id, t.idx, p.seq FROM tenders t JOIN payments p ON p.id = t.payment_id
WHERE t.mode = 'check'
  AND NOT EXISTS (SELECT 1 FROM cancellations c WHERE c.payment_id = t.payment_id)
  AND NOT EXISTS (SELECT 1 FROM deposit_checks d WHERE d.payment_id = t.payment_id AND d.idx = t.idx);

CREATE TRIGGER checks_held_in AFTER INSERT ON tenders WHEN NEW.mode = 'check' BEGIN
    INSERT INTO checks_held (payment_id, idx, seq)
    VALUES (NEW.payment_id, NEW.idx, (SELECT seq FROM payments WHERE id = NEW.payment_id));
END;
CREATE TRIGGER checks_held_deposited AFTER INSERT ON deposit_checks BEGIN
    DELETE FROM checks_held WHERE payment_id = NEW.payment_id AND idx = NEW.idx;
END;
CREATE TRIGGER checks_held_cancelled AFTER INSERT ON cancellations BEGIN
    DELETE FROM checks_held WHERE payment_id = NEW.payment_id;
END;
