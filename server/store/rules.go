package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/regie-fr/regie"
)

// history answers the journal rules (regie.JournalHistory) from what the
// server stored of one counter's journal up to seq max: a push checks its
// entries against what came before it, never against rows it has itself
// already flushed (those are in the push's regie.JournalState).
type history struct {
	t       *Tx
	counter int64
	max     int64
}

var _ regie.JournalHistory = (*history)(nil)

var (
	qLastPaymentData = hot(`SELECT data ->> '$.receipt' FROM journal WHERE counter_id = ? AND seq <= ? AND kind = 'payment' ORDER BY seq DESC LIMIT 1`)
	qEntryByID       = hot(`SELECT kind, seq, at, agent, data FROM journal WHERE counter_id = ? AND id = ? AND seq <= ?`)
	qSealed          = hot(`SELECT 1 FROM journal INDEXED BY journal_closing_days
		WHERE counter_id = ? AND kind = 'closing' AND json_extract(data, '$.day') = ? AND seq <= ? LIMIT 1`)
	qLastSession = hot(`SELECT id FROM journal WHERE counter_id = ? AND seq <= ? AND kind = 'session_opened' ORDER BY seq DESC LIMIT 1`)
	qCancelled   = hot(`SELECT seq FROM cancellations WHERE payment_id = ? AND counter_id = ? AND seq <= ?`)
)

// LastReceipt is found from the counter's last payment, whose year is
// almost always the one asked; another year (the first payment of a new
// year) is looked up among the receipt numbers of that year.
func (h *history) LastReceipt(year int) (int, error) {
	var last sql.NullString
	err := h.t.queryRow(qLastPaymentData, h.counter, h.max).Scan(&last)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	} else if err != nil {
		return 0, wrap("last receipt", err)
	}
	if _, _, y, n, err := regie.ParseReceiptNumber(last.String); err == nil && y == year {
		return n, nil
	}
	var reg, code string
	if err := h.t.queryRow(`SELECT regie, code FROM counters WHERE id = ?`, h.counter).Scan(&reg, &code); err != nil {
		return 0, wrap("last receipt", err)
	}
	prefix := fmt.Sprintf("R-%s-%s-%04d-", reg, code, year)
	err = h.t.queryRow(`SELECT receipt FROM payments WHERE receipt > ? AND receipt < ? AND counter_id = ? AND seq <= ?
		ORDER BY length(receipt) DESC, receipt DESC LIMIT 1`, prefix, prefix+"~", h.counter, h.max).Scan(&last)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	} else if err != nil {
		return 0, wrap("last receipt", err)
	}
	_, _, _, n, err := regie.ParseReceiptNumber(last.String)
	if err != nil {
		return 0, fmt.Errorf("store: stored receipt %q: %w", last.String, err)
	}
	return n, nil
}

// entry reads the counter's entry with this id and decodes it when it is of
// kind; nil when there is none or it is of another kind.
func (h *history) entry(id string, kind regie.EntryKind) (any, error) {
	var k, at, data string
	e := regie.Entry{ID: id}
	err := h.t.queryRow(qEntryByID, h.counter, id, h.max).Scan(&k, &e.Seq, &at, &e.Agent, &data)
	if errors.Is(err, sql.ErrNoRows) || err == nil && regie.EntryKind(k) != kind {
		return nil, nil
	} else if err != nil {
		return nil, wrap("entry", err)
	}
	e.Kind, e.Data = kind, json.RawMessage(data)
	obj, err := regie.DecodeEntry(&e)
	if err != nil {
		return nil, fmt.Errorf("store: stored entry %d: %w", e.Seq, err)
	}
	return obj, nil
}

func (h *history) Session(id string) (*regie.TillSession, error) {
	obj, err := h.entry(id, regie.KindSessionOpen)
	s, _ := obj.(*regie.TillSession)
	return s, err
}

// LastSession reads the counter's journal backwards to its last opening:
// a day's entries at most.
func (h *history) LastSession() (*regie.TillSession, error) {
	var id string
	err := h.t.queryRow(qLastSession, h.counter, h.max).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, wrap("last session", err)
	}
	return h.Session(id)
}

func (h *history) Payment(id string) (*regie.Payment, error) {
	obj, err := h.entry(id, regie.KindPayment)
	p, _ := obj.(*regie.Payment)
	return p, err
}

func (h *history) exists(q string, args ...any) (bool, error) {
	var one int
	err := h.t.queryRow(q, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, wrap("rules", err)
}

func (h *history) Sealed(day string) (bool, error) { return h.exists(qSealed, h.counter, day, h.max) }

func (h *history) Cancelled(paymentID string) (int64, error) {
	var seq int64
	err := h.t.queryRow(qCancelled, paymentID, h.counter, h.max).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return seq, wrap("rules", err)
}

func (h *history) Deposited(paymentID string, tender int) (bool, error) {
	return h.exists(`SELECT 1 FROM journal j INDEXED BY journal_deposit_days, json_each(j.data, '$.checks') c
		WHERE j.counter_id = ? AND j.kind = 'deposit' AND j.seq <= ?
		AND c.value ->> '$.payment_id' = ? AND CAST(c.value ->> '$.tender' AS INTEGER) = ? LIMIT 1`, h.counter, h.max, paymentID, tender)
}

// DayFigures replays the day's payments, cancellations and deposits; it
// runs once per closing.
func (h *history) DayFigures(day string) (*regie.DayFigures, error) {
	s := regie.NewJournalState(nil)
	const cols = `SELECT seq, id, kind, at, agent, data FROM journal WHERE counter_id = ? AND +seq <= ? AND `
	const cols2 = `SELECT seq, id, kind, at, agent, data FROM journal INDEXED BY journal_deposit_days WHERE counter_id = ? AND seq <= ? AND `
	rows, err := h.t.query(cols+`seq IN (SELECT seq FROM payments WHERE counter_id = ? AND day = ?)
		UNION ALL `+cols+`seq IN (SELECT seq FROM cancellations WHERE counter_id = ? AND day = ?)
		UNION ALL `+cols2+`kind = 'deposit' AND json_extract(data, '$.day') = ?
		ORDER BY seq`, h.counter, h.max, h.counter, day, h.counter, h.max, h.counter, day, h.counter, h.max, day)
	if err != nil {
		return nil, wrap("day figures", err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanStored(rows)
		if err != nil {
			return nil, err
		}
		obj, err := regie.DecodeEntry(e)
		if err != nil {
			return nil, fmt.Errorf("store: stored entry %d: %w", e.Seq, err)
		}
		s.Apply(e, obj)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("day figures", err)
	}
	return s.DayFigures(day)
}

func (h *history) LastClosing() (*regie.Closing, error) {
	var id string
	err := h.t.queryRow(`SELECT id FROM journal INDEXED BY journal_closing_days WHERE counter_id = ? AND kind = 'closing' AND seq <= ? ORDER BY seq DESC LIMIT 1`,
		h.counter, h.max).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, wrap("last closing", err)
	}
	obj, err := h.entry(id, regie.KindClosing)
	c, _ := obj.(*regie.Closing)
	return c, err
}

// scanStored reads a journal row of (seq, id, kind, at, agent, data).
func scanStored(rows *sql.Rows) (*regie.Entry, error) {
	var e regie.Entry
	var kind, at, data string
	if err := rows.Scan(&e.Seq, &e.ID, &kind, &at, &e.Agent, &data); err != nil {
		return nil, wrap("journal", err)
	}
	e.Kind, e.Data = regie.EntryKind(kind), json.RawMessage(data)
	var err error
	if e.At, err = time.Parse(regie.TimeFormat, at); err != nil {
		return nil, fmt.Errorf("store: entry %d: time %q: %w", e.Seq, at, err)
	}
	return &e, nil
}

// refs answers the rules' questions on reference data (regie.References),
// remembering the answers for the rest of the transaction.
type refs struct {
	t          *Tx
	regie      string // the counter's: its households are its organisation's
	households map[string]bool
	items      map[[2]string]bool
}

var _ regie.References = (*refs)(nil)

// A push asks about each household and item once (refs keeps the
// answers), but a push of a busy day names thousands of households.
var (
	qHouseholdKnown = hot(`SELECT 1 FROM households WHERE id = ? AND org = (SELECT org FROM regies WHERE code = ?)`)
	qItemKnown      = hot(`SELECT 1 FROM items WHERE regie = ? AND code = ?`)
)

func newRefs(t *Tx, regieCode string) *refs {
	return &refs{t: t, regie: regieCode, households: map[string]bool{}, items: map[[2]string]bool{}}
}

func (r *refs) HouseholdKnown(id string) (bool, error) {
	if ok, seen := r.households[id]; seen {
		return ok, nil
	}
	ok, err := (&history{t: r.t}).exists(qHouseholdKnown, id, r.regie)
	if err == nil {
		r.households[id] = ok
	}
	return ok, err
}

func (r *refs) ItemKnown(regieCode, code string) (bool, error) {
	k := [2]string{regieCode, code}
	if ok, seen := r.items[k]; seen {
		return ok, nil
	}
	ok, err := (&history{t: r.t}).exists(qItemKnown, regieCode, code)
	if err == nil {
		r.items[k] = ok
	}
	return ok, err
}

// Invoice reads through the push's invoice cache (prefetchInvoices).
func (r *refs) Invoice(id string) (*regie.InvoiceRef, error) {
	if err := r.t.prefetchInvoices([]string{id}); err != nil {
		return nil, err
	}
	inv := r.t.invoices[id]
	if !inv.known {
		return nil, nil
	}
	return &regie.InvoiceRef{Number: inv.number, HouseholdID: inv.household, Regie: inv.regie}, nil
}

// rulesFor builds the journal rules of a counter from its régie's settings.
func (t *Tx) rulesFor(c *Counter, h regie.JournalHistory, tolerance time.Duration) (*regie.JournalRules, error) {
	var data, kind string
	err := t.queryRow(qCounterSettings, c.ID).Scan(&data, &kind)
	if err != nil {
		return nil, fmt.Errorf("store: settings of régie %s of counter %s: %w", c.Regie, c.Code, err)
	}
	var settings regie.Regie
	if err := json.Unmarshal([]byte(data), &settings); err != nil {
		return nil, wrap("settings", err)
	}
	earlier, err := t.earlierSettings(c.Regie, data)
	if err != nil {
		return nil, err
	}
	return &regie.JournalRules{Settings: &settings, Earlier: earlier, Counter: c.Code, Loc: RegieLocation(&settings),
		History: h, Refs: newRefs(t, c.Regie), Tolerance: tolerance, Channel: regie.Channel(kind)}, nil
}

// RegieLocation is a régie's time zone, Europe/Paris when its settings name
// none or one this system does not know.
func RegieLocation(r *regie.Regie) *time.Location {
	for _, name := range []string{r.Timezone, "Europe/Paris"} {
		if name == "" {
			continue
		}
		if loc, err := time.LoadLocation(name); err == nil {
			return loc
		}
	}
	return time.UTC
}
