-- Mes paiements in one indexed range query: portal_payments holds, for
-- every payment of a household, what the page lists of it — the tenders
-- and what it settled, read once from the journal entry, and its
-- cancellation. Triggers fill it in the transaction that records the
-- payment or the cancellation, whoever writes them (a push, an import, a
-- tool), and the INSERT … SELECT below fills it for the payments already
-- stored.
--
-- tenders is "mode amount" pairs joined by commas ("cash 350,check 2000");
-- settled is a JSON array of [invoice_id, invoice_number, item_code, label,
-- amount] arrays, in the payment's order.
--
-- id only grows: a new payment takes max(id) + 1, and so does a payment when
-- it is cancelled, so the largest id among a household's rows changes
-- whenever anything the page shows of them does (PortalStore.PaymentsVersion).

CREATE TABLE portal_payments (
    id            INTEGER PRIMARY KEY,
    payment_id    TEXT NOT NULL UNIQUE REFERENCES payments(id),
    household_id  TEXT NOT NULL,
    day           TEXT NOT NULL,
    at            TEXT NOT NULL,
    receipt       TEXT NOT NULL,
    regie         TEXT NOT NULL,
    counter       TEXT NOT NULL,
    total         INTEGER NOT NULL,
    tenders       TEXT NOT NULL,
    settled       TEXT NOT NULL,
    cancelled_at  TEXT,
    cancel_reason TEXT
);
CREATE INDEX portal_payments_household ON portal_payments(household_id, day);

CREATE TRIGGER portal_payments_add AFTER INSERT ON payments WHEN NEW.household_id <> '' BEGIN
    INSERT INTO portal_payments (id, payment_id, household_id, day, at, receipt, regie, counter, total, tenders, settled)
    SELECT coalesce((SELECT max(id) FROM portal_payments), 0) + 1, NEW.id, NEW.household_id, NEW.day, NEW.at, NEW.receipt,
        NEW.regie, NEW.counter, NEW.total,
        coalesce((SELECT group_concat((t.value ->> 'mode') || ' ' || (t.value ->> 'amount'), ',' ORDER BY t.key)
            FROM json_each(j.data, '$.tenders') t), ''),
        coalesce((SELECT json_group_array(json_array(coalesce(a.value ->> 'invoice_id', ''), coalesce(a.value ->> 'invoice_number', ''),
                coalesce(a.value ->> 'item_code', ''), coalesce(a.value ->> 'label', ''), coalesce(a.value ->> 'amount', 0)) ORDER BY a.key)
            FROM json_each(j.data, '$.allocations') a), '[]')
    FROM journal j WHERE j.counter_id = NEW.counter_id AND j.seq = NEW.seq;
END;

CREATE TRIGGER portal_payments_cancel AFTER INSERT ON cancellations BEGIN
    UPDATE portal_payments SET cancelled_at = NEW.at, cancel_reason = NEW.reason,
        id = (SELECT max(id) FROM portal_payments) + 1
    WHERE payment_id = NEW.payment_id;
END;

INSERT INTO portal_payments (id, payment_id, household_id, day, at, receipt, regie, counter, total, tenders, settled, cancelled_at, cancel_reason)
SELECT p.rowid, p.id, p.household_id, p.day, p.at, p.receipt, p.regie, p.counter, p.total,
    coalesce((SELECT group_concat((t.value ->> 'mode') || ' ' || (t.value ->> 'amount'), ',' ORDER BY t.key)
        FROM json_each(j.data, '$.tenders') t), ''),
    coalesce((SELECT json_group_array(json_array(a.invoice_id, a.invoice_number, a.item_code, a.label, a.amount) ORDER BY a.idx)
        FROM allocations a WHERE a.payment_id = p.id), '[]'),
    c.at, c.reason
FROM payments p JOIN journal j ON j.counter_id = p.counter_id AND j.seq = p.seq
LEFT JOIN cancellations c ON c.payment_id = p.id
WHERE p.household_id <> '';
