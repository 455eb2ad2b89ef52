-- The server's database on PostgreSQL: the same tables, columns, indexes
-- and append-only rules as the SQLite file at schema version 15 (the
-- migrations 0001 to 0015 of ../migrations), written once for a database
-- that starts empty. Later migrations come in pairs, one per folder, with
-- the same number.
--
-- Integers are BIGINT (SQLite's INTEGER holds 64 bits). A table whose
-- SQLite key is INTEGER PRIMARY KEY takes max(id) + 1 when the insert names
-- no id, as SQLite does (regie_next_id): portal_payments moves a cancelled
-- payment to a new id that later inserts must not take again. Every write
-- transaction locks the meta row first, so max(id) + 1 is never raced.
-- The tables whose queries order by SQLite's rowid get a rowid column of
-- their own.
--
-- Every text column compares and sorts its bytes (COLLATE "C"), as
-- SQLite's BINARY does, whatever the database's own locale: the search's
-- prefix ranges on folded words, the pages cut at (at, id) and the sort
-- of receipt numbers must not depend on how the database was created.

CREATE FUNCTION regie_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;

CREATE FUNCTION regie_next_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        EXECUTE format('SELECT coalesce(max(id), 0) + 1 FROM %I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME) INTO NEW.id;
    END IF;
    RETURN NEW;
END $$;

CREATE TABLE meta (
    id       BIGINT PRIMARY KEY CHECK (id = 1),
    store_id TEXT COLLATE "C" NOT NULL,
    rev      BIGINT NOT NULL
);

CREATE TABLE regies (
    code     TEXT COLLATE "C" PRIMARY KEY,
    settings TEXT COLLATE "C" NOT NULL,
    rev      BIGINT NOT NULL
);

CREATE TABLE counters (
    id              BIGINT PRIMARY KEY,
    regie           TEXT COLLATE "C" NOT NULL REFERENCES regies(code),
    code            TEXT COLLATE "C" NOT NULL,
    name            TEXT COLLATE "C" NOT NULL,
    enrol_hash      TEXT COLLATE "C" UNIQUE,
    enrol_expires   TEXT COLLATE "C",
    credential_hash TEXT COLLATE "C" UNIQUE,
    revoked_at      TEXT COLLATE "C",
    created_at      TEXT COLLATE "C" NOT NULL,
    rev             BIGINT NOT NULL,
    enrol_used_at   TEXT COLLATE "C",
    kind            TEXT COLLATE "C" NOT NULL DEFAULT 'desk' CHECK (kind IN ('desk', 'backoffice', 'online')),
    UNIQUE (regie, code)
);

CREATE TABLE agents (
    id       TEXT COLLATE "C" PRIMARY KEY,
    regie    TEXT COLLATE "C" NOT NULL REFERENCES regies(code),
    login    TEXT COLLATE "C" NOT NULL,
    name     TEXT COLLATE "C" NOT NULL,
    role     TEXT COLLATE "C" NOT NULL,
    pin_hash TEXT COLLATE "C" NOT NULL,
    active   BIGINT NOT NULL,
    rev      BIGINT NOT NULL,
    UNIQUE (regie, login)
);

CREATE TABLE items (
    regie    TEXT COLLATE "C" NOT NULL REFERENCES regies(code),
    code     TEXT COLLATE "C" NOT NULL,
    label    TEXT COLLATE "C" NOT NULL,
    category TEXT COLLATE "C" NOT NULL,
    price    BIGINT NOT NULL,
    active   BIGINT NOT NULL,
    rev      BIGINT NOT NULL,
    PRIMARY KEY (regie, code)
);

CREATE TABLE households (
    id      TEXT COLLATE "C" PRIMARY KEY,
    account TEXT COLLATE "C" NOT NULL UNIQUE,
    name    TEXT COLLATE "C" NOT NULL,
    data    TEXT COLLATE "C" NOT NULL,
    rev     BIGINT NOT NULL,
    rowid   BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE
);

CREATE TABLE invoices (
    id           TEXT COLLATE "C" PRIMARY KEY,
    number       TEXT COLLATE "C" NOT NULL UNIQUE,
    household_id TEXT COLLATE "C" NOT NULL REFERENCES households(id),
    regie        TEXT COLLATE "C" NOT NULL REFERENCES regies(code),
    amount       BIGINT NOT NULL,
    paid         BIGINT NOT NULL DEFAULT 0,
    data         TEXT COLLATE "C" NOT NULL,
    rev          BIGINT NOT NULL
);

CREATE TABLE journal (
    counter_id  BIGINT NOT NULL REFERENCES counters(id),
    seq         BIGINT NOT NULL,
    id          TEXT COLLATE "C" NOT NULL,
    kind        TEXT COLLATE "C" NOT NULL,
    at          TEXT COLLATE "C" NOT NULL,
    agent       TEXT COLLATE "C" NOT NULL,
    data        TEXT COLLATE "C" NOT NULL,
    prev_hash   TEXT COLLATE "C" NOT NULL,
    hash        TEXT COLLATE "C" NOT NULL,
    received_at TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (counter_id, seq),
    UNIQUE (counter_id, id)
);

CREATE TABLE payments (
    id           TEXT COLLATE "C" PRIMARY KEY,
    counter_id   BIGINT NOT NULL,
    seq          BIGINT NOT NULL,
    receipt      TEXT COLLATE "C" NOT NULL UNIQUE,
    regie        TEXT COLLATE "C" NOT NULL,
    counter      TEXT COLLATE "C" NOT NULL,
    day          TEXT COLLATE "C" NOT NULL,
    at           TEXT COLLATE "C" NOT NULL,
    agent        TEXT COLLATE "C" NOT NULL,
    household_id TEXT COLLATE "C" NOT NULL,
    account      TEXT COLLATE "C" NOT NULL,
    payer        TEXT COLLATE "C" NOT NULL,
    total        BIGINT NOT NULL,
    rowid        BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    FOREIGN KEY (counter_id, seq) REFERENCES journal(counter_id, seq)
);

CREATE TABLE allocations (
    payment_id     TEXT COLLATE "C" NOT NULL REFERENCES payments(id),
    idx            BIGINT NOT NULL,
    invoice_id     TEXT COLLATE "C" NOT NULL,
    invoice_number TEXT COLLATE "C" NOT NULL,
    item_code      TEXT COLLATE "C" NOT NULL,
    label          TEXT COLLATE "C" NOT NULL,
    amount         BIGINT NOT NULL,
    credit         BIGINT NOT NULL,
    PRIMARY KEY (payment_id, idx)
);

CREATE TABLE cancellations (
    id          TEXT COLLATE "C" PRIMARY KEY,
    payment_id  TEXT COLLATE "C" NOT NULL UNIQUE REFERENCES payments(id),
    counter_id  BIGINT NOT NULL,
    seq         BIGINT NOT NULL,
    day         TEXT COLLATE "C" NOT NULL,
    at          TEXT COLLATE "C" NOT NULL,
    agent       TEXT COLLATE "C" NOT NULL,
    approved_by TEXT COLLATE "C" NOT NULL,
    reason      TEXT COLLATE "C" NOT NULL,
    comment     TEXT COLLATE "C" NOT NULL,
    FOREIGN KEY (counter_id, seq) REFERENCES journal(counter_id, seq)
);

CREATE TABLE credits (
    id           BIGINT PRIMARY KEY,
    invoice_id   TEXT COLLATE "C" NOT NULL,
    household_id TEXT COLLATE "C" NOT NULL,
    payment_id   TEXT COLLATE "C" NOT NULL,
    entry_id     TEXT COLLATE "C" NOT NULL,
    counter_id   BIGINT NOT NULL,
    seq          BIGINT NOT NULL,
    amount       BIGINT NOT NULL,
    at           TEXT COLLATE "C" NOT NULL
);

CREATE TABLE portal_links (
    id           BIGINT PRIMARY KEY,
    subject      TEXT COLLATE "C" NOT NULL,
    household_id TEXT COLLATE "C" NOT NULL REFERENCES households(id),
    linked_at    TEXT COLLATE "C" NOT NULL,
    unlinked_at  TEXT COLLATE "C",
    via          TEXT COLLATE "C" NOT NULL DEFAULT 'code',
    name         TEXT COLLATE "C" NOT NULL DEFAULT '',
    slip_id      TEXT COLLATE "C",
    unlinked_by  TEXT COLLATE "C"
);

CREATE TABLE portal_link_failures (
    id      BIGINT PRIMARY KEY,
    subject TEXT COLLATE "C" NOT NULL,
    client  TEXT COLLATE "C" NOT NULL,
    at      TEXT COLLATE "C" NOT NULL
);

CREATE TABLE portal_payments (
    id            BIGINT PRIMARY KEY,
    payment_id    TEXT COLLATE "C" NOT NULL,
    household_id  TEXT COLLATE "C" NOT NULL,
    day           TEXT COLLATE "C" NOT NULL,
    at            TEXT COLLATE "C" NOT NULL,
    receipt       TEXT COLLATE "C" NOT NULL,
    regie         TEXT COLLATE "C" NOT NULL,
    counter       TEXT COLLATE "C" NOT NULL,
    total         BIGINT NOT NULL,
    tenders       TEXT COLLATE "C" NOT NULL,
    cancelled_at  TEXT COLLATE "C",
    cancel_reason TEXT COLLATE "C"
);

CREATE TABLE regie_settings_history (
    id       BIGINT PRIMARY KEY,
    regie    TEXT COLLATE "C" NOT NULL,
    settings TEXT COLLATE "C" NOT NULL,
    rev      BIGINT NOT NULL
);

CREATE TABLE portal_link_slips (
    id           TEXT COLLATE "C" PRIMARY KEY,
    household_id TEXT COLLATE "C" NOT NULL REFERENCES households(id),
    code_hash    TEXT COLLATE "C" NOT NULL UNIQUE,
    counter_id   BIGINT REFERENCES counters(id),
    agent        TEXT COLLATE "C" NOT NULL,
    document     TEXT COLLATE "C" NOT NULL,
    created_at   TEXT COLLATE "C" NOT NULL,
    expires_at   TEXT COLLATE "C" NOT NULL
);

CREATE TABLE portal_link_slip_uses (
    slip_id TEXT COLLATE "C" PRIMARY KEY REFERENCES portal_link_slips(id),
    subject TEXT COLLATE "C" NOT NULL,
    at      TEXT COLLATE "C" NOT NULL
);

CREATE TABLE portal_seen (
    subject      TEXT COLLATE "C" NOT NULL,
    household_id TEXT COLLATE "C" NOT NULL REFERENCES households(id),
    seen_at      TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (subject, household_id)
);

CREATE TABLE server_keys (
    name       TEXT COLLATE "C" PRIMARY KEY,
    key        BYTEA NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL
);

CREATE TABLE staff (
    id            TEXT COLLATE "C" PRIMARY KEY,
    login         TEXT COLLATE "C" NOT NULL UNIQUE,
    name          TEXT COLLATE "C" NOT NULL,
    email         TEXT COLLATE "C" NOT NULL DEFAULT '',
    password_hash TEXT COLLATE "C" NOT NULL DEFAULT '',
    totp_secret   TEXT COLLATE "C" NOT NULL DEFAULT '',
    totp_step     BIGINT NOT NULL DEFAULT 0,
    oidc_issuer   TEXT COLLATE "C" NOT NULL DEFAULT '',
    oidc_subject  TEXT COLLATE "C" NOT NULL DEFAULT '',
    disabled      BIGINT NOT NULL DEFAULT 0,
    failures      BIGINT NOT NULL DEFAULT 0,
    locked_until  TEXT COLLATE "C" NOT NULL DEFAULT '',
    created_at    TEXT COLLATE "C" NOT NULL,
    changed_at    TEXT COLLATE "C" NOT NULL,
    must_change   BIGINT NOT NULL DEFAULT 0,
    totp_pending  TEXT COLLATE "C" NOT NULL DEFAULT ''
);

CREATE TABLE staff_grants (
    staff_id TEXT COLLATE "C" NOT NULL REFERENCES staff(id),
    role     TEXT COLLATE "C" NOT NULL CHECK (role IN ('regisseur', 'suppleant', 'finance', 'admin')),
    regie    TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (staff_id, role, regie)
);

CREATE TABLE staff_sessions (
    id_hash       TEXT COLLATE "C" PRIMARY KEY,
    staff_id      TEXT COLLATE "C" NOT NULL REFERENCES staff(id),
    csrf          TEXT COLLATE "C" NOT NULL,
    second_factor BIGINT NOT NULL,
    id_token      TEXT COLLATE "C" NOT NULL DEFAULT '',
    created_at    TEXT COLLATE "C" NOT NULL,
    seen_at       TEXT COLLATE "C" NOT NULL
);

CREATE TABLE audit (
    seq       BIGINT PRIMARY KEY,
    at        TEXT COLLATE "C" NOT NULL,
    staff_id  TEXT COLLATE "C" NOT NULL,
    staff     TEXT COLLATE "C" NOT NULL,
    action    TEXT COLLATE "C" NOT NULL,
    regie     TEXT COLLATE "C" NOT NULL,
    target    TEXT COLLATE "C" NOT NULL,
    detail    TEXT COLLATE "C" NOT NULL,
    client    TEXT COLLATE "C" NOT NULL,
    prev_hash TEXT COLLATE "C" NOT NULL,
    hash      TEXT COLLATE "C" NOT NULL UNIQUE
);

CREATE TABLE staff_login_failures (
    id     BIGINT PRIMARY KEY,
    client TEXT COLLATE "C" NOT NULL,
    at     TEXT COLLATE "C" NOT NULL
);

CREATE TABLE payment_modes (
    payment_id TEXT COLLATE "C" PRIMARY KEY,
    modes      BIGINT NOT NULL
);

-- Filled by the store's Go code on PostgreSQL (households.go): the words
-- are folded by regie.FoldName, which SQLite's trigger calls through a
-- function registered with its driver and PostgreSQL cannot call.
CREATE TABLE household_words (
    word         TEXT COLLATE "C" NOT NULL,
    household_id TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (word, household_id)
);

CREATE TABLE counter_sync (
    counter_id    BIGINT PRIMARY KEY REFERENCES counters(id),
    seen_at       TEXT COLLATE "C" NOT NULL,
    reported_head BIGINT,
    reported_at   TEXT COLLATE "C"
);

CREATE TABLE sync_refusals (
    id         BIGINT PRIMARY KEY,
    counter_id BIGINT NOT NULL REFERENCES counters(id),
    at         TEXT COLLATE "C" NOT NULL,
    status     BIGINT NOT NULL,
    seq        BIGINT NOT NULL,
    code       TEXT COLLATE "C" NOT NULL,
    message    TEXT COLLATE "C" NOT NULL
);

CREATE TABLE chain_checks (
    id            BIGINT PRIMARY KEY,
    counter_id    BIGINT NOT NULL REFERENCES counters(id),
    at            TEXT COLLATE "C" NOT NULL,
    entries       BIGINT NOT NULL,
    broken_seq    BIGINT,
    broken_motif  TEXT COLLATE "C" NOT NULL DEFAULT '',
    problems      BIGINT NOT NULL,
    first_problem TEXT COLLATE "C" NOT NULL DEFAULT ''
);

CREATE TABLE publik_nonces (
    orig       TEXT COLLATE "C" NOT NULL,
    nonce      TEXT COLLATE "C" NOT NULL,
    expires_at TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (orig, nonce)
);

CREATE TABLE payfip_orders (
    idop           TEXT COLLATE "C" PRIMARY KEY,
    regie          TEXT COLLATE "C" NOT NULL REFERENCES regies(code),
    numcli         TEXT COLLATE "C" NOT NULL,
    household_id   TEXT COLLATE "C" NOT NULL,
    invoice_id     TEXT COLLATE "C" NOT NULL,
    invoice_number TEXT COLLATE "C" NOT NULL,
    refdet         TEXT COLLATE "C" NOT NULL,
    amount         BIGINT NOT NULL CHECK (amount > 0),
    created_at     TEXT COLLATE "C" NOT NULL
);

CREATE TABLE payfip_order_events (
    id         BIGINT PRIMARY KEY,
    idop       TEXT COLLATE "C" NOT NULL REFERENCES payfip_orders(idop),
    state      TEXT COLLATE "C" NOT NULL CHECK (state IN ('created', 'paid', 'refused', 'cancelled', 'expired', 'anomaly')),
    result     TEXT COLLATE "C" NOT NULL DEFAULT '',
    payment_id TEXT COLLATE "C" NOT NULL DEFAULT '',
    note       TEXT COLLATE "C" NOT NULL DEFAULT '',
    at         TEXT COLLATE "C" NOT NULL
);

CREATE TABLE bank_accounts (
    iban     TEXT COLLATE "C" PRIMARY KEY,
    regie    TEXT COLLATE "C" NOT NULL REFERENCES regies(code),
    bound_at TEXT COLLATE "C" NOT NULL
);

CREATE TABLE bank_statements (
    id          TEXT COLLATE "C" PRIMARY KEY,
    regie       TEXT COLLATE "C" NOT NULL REFERENCES regies(code),
    iban        TEXT COLLATE "C" NOT NULL REFERENCES bank_accounts(iban),
    format      TEXT COLLATE "C" NOT NULL,
    stmt_ref    TEXT COLLATE "C" NOT NULL,
    sha256      TEXT COLLATE "C" NOT NULL,
    filename    TEXT COLLATE "C" NOT NULL,
    from_day    TEXT COLLATE "C" NOT NULL,
    to_day      TEXT COLLATE "C" NOT NULL,
    entries     BIGINT NOT NULL,
    added       BIGINT NOT NULL,
    staff_id    TEXT COLLATE "C" NOT NULL,
    imported_at TEXT COLLATE "C" NOT NULL,
    rowid       BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE
);

CREATE TABLE bank_entries (
    id           TEXT COLLATE "C" PRIMARY KEY,
    regie        TEXT COLLATE "C" NOT NULL REFERENCES regies(code),
    iban         TEXT COLLATE "C" NOT NULL REFERENCES bank_accounts(iban),
    ref          TEXT COLLATE "C" NOT NULL,
    statement_id TEXT COLLATE "C" NOT NULL REFERENCES bank_statements(id),
    idx          BIGINT NOT NULL,
    booking_day  TEXT COLLATE "C" NOT NULL,
    value_day    TEXT COLLATE "C" NOT NULL,
    amount       BIGINT NOT NULL CHECK (amount > 0),
    direction    TEXT COLLATE "C" NOT NULL CHECK (direction IN ('credit', 'debit')),
    mode         TEXT COLLATE "C" NOT NULL CHECK (mode IN ('', 'transfer', 'direct_debit')),
    code         TEXT COLLATE "C" NOT NULL,
    remitter     TEXT COLLATE "C" NOT NULL,
    remittance   TEXT COLLATE "C" NOT NULL,
    outcome      TEXT COLLATE "C" NOT NULL CHECK (outcome IN ('matched', 'ambiguous', 'unmatched', 'other', 'debit')),
    candidates   TEXT COLLATE "C" NOT NULL,
    rowid        BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    UNIQUE (iban, ref)
);

CREATE TABLE bank_decisions (
    id           TEXT COLLATE "C" PRIMARY KEY,
    entry_id     TEXT COLLATE "C" NOT NULL REFERENCES bank_entries(id),
    regie        TEXT COLLATE "C" NOT NULL REFERENCES regies(code),
    kind         TEXT COLLATE "C" NOT NULL CHECK (kind IN ('auto', 'assign', 'split', 'leave')),
    payment_id   TEXT COLLATE "C" NOT NULL,
    receipt      TEXT COLLATE "C" NOT NULL,
    household_id TEXT COLLATE "C" NOT NULL,
    staff_id     TEXT COLLATE "C" NOT NULL,
    at           TEXT COLLATE "C" NOT NULL,
    comment      TEXT COLLATE "C" NOT NULL,
    rowid        BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    CHECK ((kind = 'leave') = (payment_id = ''))
);

CREATE TABLE portal_sessions (
    id_hash    TEXT COLLATE "C" PRIMARY KEY,
    data       TEXT COLLATE "C" NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL,
    seen_at    TEXT COLLATE "C" NOT NULL
);

CREATE INDEX items_rev ON items(regie, rev);
CREATE INDEX households_rev ON households(rev);
CREATE INDEX invoices_rev ON invoices(regie, rev);
CREATE INDEX invoices_household ON invoices(household_id);
CREATE INDEX payments_at ON payments(at);
CREATE INDEX allocations_invoice ON allocations(invoice_id);
CREATE INDEX cancellations_at ON cancellations(at);
CREATE INDEX credits_household ON credits(household_id);
CREATE INDEX credits_invoice ON credits(invoice_id);
CREATE UNIQUE INDEX portal_links_live ON portal_links(subject, household_id) WHERE unlinked_at IS NULL;
CREATE INDEX portal_links_household ON portal_links(household_id);
CREATE INDEX portal_link_failures_subject ON portal_link_failures(subject, at);
CREATE INDEX portal_link_failures_client ON portal_link_failures(client, at);
CREATE INDEX portal_link_failures_at ON portal_link_failures(at);
CREATE INDEX households_access_code ON households((data::jsonb ->> 'access_code'));
CREATE INDEX portal_payments_household ON portal_payments(household_id, day);
-- SQLite's index above holds each row's id (its rowid), so the portal's
-- version of a household's payments (their largest id) is one probe
-- there; PostgreSQL's does not, and walked the whole table's ids
-- backwards looking for the household's last one.
CREATE INDEX portal_payments_household_id ON portal_payments(household_id, id);
CREATE INDEX payments_counter_day ON payments(counter_id, day);
CREATE INDEX cancellations_counter_day ON cancellations(counter_id, day);
CREATE INDEX journal_closing_days ON journal(counter_id, (data::jsonb ->> 'day')) WHERE kind = 'closing';
CREATE INDEX journal_deposit_days ON journal(counter_id, (data::jsonb ->> 'day')) WHERE kind = 'deposit';
CREATE INDEX regie_settings_history_regie ON regie_settings_history(regie);
CREATE INDEX portal_link_slips_household ON portal_link_slips(household_id);
CREATE UNIQUE INDEX staff_oidc ON staff(oidc_issuer, oidc_subject) WHERE oidc_subject <> '';
CREATE INDEX staff_sessions_staff ON staff_sessions(staff_id);
CREATE INDEX staff_sessions_seen ON staff_sessions(seen_at);
CREATE INDEX audit_regie ON audit(regie, seq);
CREATE INDEX staff_login_failures_client ON staff_login_failures(client, at);
CREATE INDEX staff_login_failures_at ON staff_login_failures(at);
CREATE INDEX payments_regie_at ON payments(regie, at, id);
CREATE INDEX payments_regie_total ON payments(regie, total, at, id);
CREATE INDEX portal_payments_search ON portal_payments(household_id, regie, at, payment_id, day);
CREATE INDEX household_words_household ON household_words(household_id);
CREATE INDEX journal_reprints ON journal((data::jsonb ->> 'payment_id')) WHERE kind = 'reprint';
CREATE INDEX sync_refusals_counter ON sync_refusals(counter_id, id);
CREATE INDEX chain_checks_counter ON chain_checks(counter_id, id);
CREATE INDEX journal_session_days ON journal(counter_id, (data::jsonb ->> 'day')) WHERE kind = 'session_opened';
CREATE INDEX journal_check_payments ON journal(counter_id, seq)
    WHERE kind = 'payment' AND (strpos(data, 'check') > 0 OR strpos(data, '\u') > 0);
CREATE INDEX journal_verifications ON journal(counter_id, seq) WHERE kind = 'cash_verification';
CREATE INDEX journal_settings ON journal(counter_id, seq) WHERE kind = 'settings';
CREATE INDEX publik_nonces_expires ON publik_nonces(expires_at);
CREATE INDEX payfip_orders_invoice ON payfip_orders(invoice_id, created_at);
CREATE INDEX payfip_orders_created ON payfip_orders(created_at);
CREATE INDEX payfip_order_events_idop ON payfip_order_events(idop, id);
CREATE UNIQUE INDEX payfip_paid_once ON payfip_order_events(idop) WHERE state = 'paid';
CREATE INDEX bank_statements_regie ON bank_statements(regie, imported_at);
CREATE INDEX bank_entries_statement ON bank_entries(statement_id, idx);
CREATE INDEX bank_entries_regie ON bank_entries(regie, outcome);
CREATE INDEX bank_decisions_entry ON bank_decisions(entry_id, at);
CREATE UNIQUE INDEX bank_decisions_paid ON bank_decisions(entry_id) WHERE payment_id <> '';
CREATE INDEX portal_sessions_seen ON portal_sessions(seen_at);
CREATE INDEX portal_sessions_created ON portal_sessions(created_at);

-- Ids taken as SQLite takes them.
CREATE TRIGGER counters_next_id BEFORE INSERT ON counters FOR EACH ROW EXECUTE FUNCTION regie_next_id();
CREATE TRIGGER credits_next_id BEFORE INSERT ON credits FOR EACH ROW EXECUTE FUNCTION regie_next_id();
CREATE TRIGGER portal_links_next_id BEFORE INSERT ON portal_links FOR EACH ROW EXECUTE FUNCTION regie_next_id();
CREATE TRIGGER portal_link_failures_next_id BEFORE INSERT ON portal_link_failures FOR EACH ROW EXECUTE FUNCTION regie_next_id();
CREATE TRIGGER portal_payments_next_id BEFORE INSERT ON portal_payments FOR EACH ROW EXECUTE FUNCTION regie_next_id();
CREATE TRIGGER regie_settings_history_next_id BEFORE INSERT ON regie_settings_history FOR EACH ROW EXECUTE FUNCTION regie_next_id();
CREATE TRIGGER staff_login_failures_next_id BEFORE INSERT ON staff_login_failures FOR EACH ROW EXECUTE FUNCTION regie_next_id();
CREATE TRIGGER sync_refusals_next_id BEFORE INSERT ON sync_refusals FOR EACH ROW EXECUTE FUNCTION regie_next_id();
CREATE TRIGGER chain_checks_next_id BEFORE INSERT ON chain_checks FOR EACH ROW EXECUTE FUNCTION regie_next_id();
CREATE TRIGGER payfip_order_events_next_id BEFORE INSERT ON payfip_order_events FOR EACH ROW EXECUTE FUNCTION regie_next_id();

-- Append-only tables: nothing recorded is ever updated or deleted.
CREATE TRIGGER journal_append_only BEFORE UPDATE OR DELETE ON journal FOR EACH ROW EXECUTE FUNCTION regie_append_only();
CREATE TRIGGER payments_append_only BEFORE UPDATE OR DELETE ON payments FOR EACH ROW EXECUTE FUNCTION regie_append_only();
CREATE TRIGGER allocations_append_only BEFORE UPDATE OR DELETE ON allocations FOR EACH ROW EXECUTE FUNCTION regie_append_only();
CREATE TRIGGER cancellations_append_only BEFORE UPDATE OR DELETE ON cancellations FOR EACH ROW EXECUTE FUNCTION regie_append_only();
CREATE TRIGGER credits_append_only BEFORE UPDATE OR DELETE ON credits FOR EACH ROW EXECUTE FUNCTION regie_append_only();
CREATE TRIGGER portal_link_slips_append_only BEFORE UPDATE OR DELETE ON portal_link_slips FOR EACH ROW EXECUTE FUNCTION regie_append_only();
CREATE TRIGGER portal_link_slip_uses_append_only BEFORE UPDATE OR DELETE ON portal_link_slip_uses FOR EACH ROW EXECUTE FUNCTION regie_append_only();
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION regie_append_only();
CREATE TRIGGER payment_modes_append_only BEFORE UPDATE OR DELETE ON payment_modes FOR EACH ROW EXECUTE FUNCTION regie_append_only();
CREATE TRIGGER sync_refusals_append_only BEFORE UPDATE OR DELETE ON sync_refusals FOR EACH ROW EXECUTE FUNCTION regie_append_only();
CREATE TRIGGER chain_checks_append_only BEFORE UPDATE OR DELETE ON chain_checks FOR EACH ROW EXECUTE FUNCTION regie_append_only();
CREATE TRIGGER payfip_orders_append_only BEFORE UPDATE OR DELETE ON payfip_orders FOR EACH ROW EXECUTE FUNCTION regie_append_only();
CREATE TRIGGER payfip_order_events_append_only BEFORE UPDATE OR DELETE ON payfip_order_events FOR EACH ROW EXECUTE FUNCTION regie_append_only();
CREATE TRIGGER bank_accounts_append_only BEFORE UPDATE OR DELETE ON bank_accounts FOR EACH ROW EXECUTE FUNCTION regie_append_only();
CREATE TRIGGER bank_statements_append_only BEFORE UPDATE OR DELETE ON bank_statements FOR EACH ROW EXECUTE FUNCTION regie_append_only();
CREATE TRIGGER bank_entries_append_only BEFORE UPDATE OR DELETE ON bank_entries FOR EACH ROW EXECUTE FUNCTION regie_append_only();
CREATE TRIGGER bank_decisions_append_only BEFORE UPDATE OR DELETE ON bank_decisions FOR EACH ROW EXECUTE FUNCTION regie_append_only();

-- A server counter (GESTION, ENLIGNE) never enrols, and no counter
-- changes kind.
CREATE FUNCTION regie_counter_rules() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.kind <> 'desk' AND (NEW.enrol_hash IS NOT NULL OR NEW.credential_hash IS NOT NULL) THEN
        RAISE EXCEPTION 'a server counter never enrols';
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.kind <> OLD.kind THEN
        RAISE EXCEPTION 'a counter''s kind never changes';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER counters_rules BEFORE INSERT OR UPDATE ON counters FOR EACH ROW EXECUTE FUNCTION regie_counter_rules();

-- What a payment projects for the portal and the search, as SQLite's
-- triggers portal_payments_add, portal_payments_cancel and
-- payment_modes_add do. The portal row's id is taken here as
-- regie_next_id would take it, by a statement planned once: its dynamic
-- one, planned for every row, cost a push about 80 µs a payment.
CREATE FUNCTION regie_payment_projections() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.household_id <> '' THEN
        INSERT INTO portal_payments (id, payment_id, household_id, day, at, receipt, regie, counter, total, tenders)
        SELECT (SELECT coalesce(max(id), 0) + 1 FROM portal_payments),
            NEW.id, NEW.household_id, NEW.day, NEW.at, NEW.receipt, NEW.regie, NEW.counter, NEW.total,
            coalesce((j.data::json -> 'tenders')::text, '[]')
        FROM journal j WHERE j.counter_id = NEW.counter_id AND j.seq = NEW.seq;
    END IF;
    INSERT INTO payment_modes (payment_id, modes)
    SELECT NEW.id, coalesce((SELECT sum(DISTINCT CASE t.value ->> 'mode'
            WHEN 'cash' THEN 1 WHEN 'check' THEN 2 WHEN 'card' THEN 4 WHEN 'transfer' THEN 8
            WHEN 'direct_debit' THEN 16 WHEN 'online' THEN 32 WHEN 'holiday_check' THEN 64 WHEN 'cesu' THEN 128
            ELSE 0 END) FROM jsonb_array_elements(coalesce(j.data::jsonb -> 'tenders', '[]'::jsonb)) t), 0)
    FROM journal j WHERE j.counter_id = NEW.counter_id AND j.seq = NEW.seq;
    RETURN NULL;
END $$;
CREATE TRIGGER payments_projections AFTER INSERT ON payments FOR EACH ROW EXECUTE FUNCTION regie_payment_projections();

CREATE FUNCTION regie_cancellation_projections() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE portal_payments SET cancelled_at = NEW.at, cancel_reason = NEW.reason,
        id = (SELECT max(id) FROM portal_payments) + 1
    WHERE household_id = (SELECT household_id FROM payments WHERE id = NEW.payment_id)
        AND day = (SELECT day FROM payments WHERE id = NEW.payment_id) AND payment_id = NEW.payment_id;
    RETURN NULL;
END $$;
CREATE TRIGGER cancellations_projections AFTER INSERT ON cancellations FOR EACH ROW EXECUTE FUNCTION regie_cancellation_projections();
