-- Online payments through PayFiP (server/payfip, docs/payfip.md). An order
-- is what the portal asked PayFiP for: one invoice of one household, its
-- amount, and the idOp PayFiP gave. Its states are appended as events —
-- created, then whatever the status calls found (paid, refused,
-- cancelled, expired, anomaly) — never changed: the current state is the
-- last event. The payment itself is recorded by server/ledger on the
-- régie's online counter, under the payment id the idOp makes, so the
-- order only tells what happened; the unique index below keeps a second
-- "paid" from being written by another instance.
CREATE TABLE payfip_orders (
    idop           TEXT PRIMARY KEY,
    regie          TEXT NOT NULL REFERENCES regies(code),
    numcli         TEXT NOT NULL,
    household_id   TEXT NOT NULL,
    invoice_id     TEXT NOT NULL,
    invoice_number TEXT NOT NULL,
    refdet         TEXT NOT NULL,
    amount         INTEGER NOT NULL CHECK (amount > 0),
    created_at     TEXT NOT NULL
);
CREATE INDEX payfip_orders_invoice ON payfip_orders(invoice_id, created_at);
CREATE INDEX payfip_orders_created ON payfip_orders(created_at);

CREATE TABLE payfip_order_events (
    id         INTEGER PRIMARY KEY,
    idop       TEXT NOT NULL REFERENCES payfip_orders(idop),
    state      TEXT NOT NULL CHECK (state IN ('created', 'paid', 'refused', 'cancelled', 'expired', 'anomaly')),
    result     TEXT NOT NULL DEFAULT '',
    payment_id TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    at         TEXT NOT NULL
);
CREATE INDEX payfip_order_events_idop ON payfip_order_events(idop, id);
CREATE UNIQUE INDEX payfip_paid_once ON payfip_order_events(idop) WHERE state = 'paid';

CREATE TRIGGER payfip_orders_no_update BEFORE UPDATE ON payfip_orders BEGIN SELECT RAISE(ABORT, 'payfip orders are append-only'); END;
CREATE TRIGGER payfip_orders_no_delete BEFORE DELETE ON payfip_orders BEGIN SELECT RAISE(ABORT, 'payfip orders are append-only'); END;
CREATE TRIGGER payfip_order_events_no_update BEFORE UPDATE ON payfip_order_events BEGIN SELECT RAISE(ABORT, 'payfip order events are append-only'); END;
CREATE TRIGGER payfip_order_events_no_delete BEFORE DELETE ON payfip_order_events BEGIN SELECT RAISE(ABORT, 'payfip order events are append-only'); END;
