package store

import (
	"database/sql"
	"errors"
	"time"

	"github.com/regie-fr/regie"
)

// PayFiPOrder is an online payment the portal asked PayFiP for, with its
// current state (its last event). Orders and events are append-only.
type PayFiPOrder struct {
	IdOp          string
	Regie         string
	Numcli        string
	HouseholdID   string
	InvoiceID     string
	InvoiceNumber string
	Refdet        string
	Amount        regie.Money
	CreatedAt     time.Time
	// State is the last event's: created, paid, refused, cancelled,
	// expired or anomaly; Result PayFiP's resultrans with it, PaymentID
	// the payment recorded (paid), Note what an anomaly was.
	State     string
	Result    string
	PaymentID string
	Note      string
	StateAt   time.Time
}

// The states of a PayFiP order.
const (
	PayFiPCreated   = "created"
	PayFiPPaid      = "paid"
	PayFiPRefused   = "refused"
	PayFiPCancelled = "cancelled"
	PayFiPExpired   = "expired"
	PayFiPAnomaly   = "anomaly"
)

// PayFiPEvent is one state an order went through.
type PayFiPEvent struct {
	State, Result, PaymentID, Note string
	At                             time.Time
}

// InsertPayFiPOrder records a new order with its "created" event.
func (t *Tx) InsertPayFiPOrder(o *PayFiPOrder) error {
	at := o.CreatedAt.UTC().Format(regie.TimeFormat)
	if err := t.exec(`INSERT INTO payfip_orders (idop, regie, numcli, household_id, invoice_id, invoice_number, refdet, amount, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, o.IdOp, o.Regie, o.Numcli, o.HouseholdID, o.InvoiceID, o.InvoiceNumber, o.Refdet,
		int64(o.Amount), at); err != nil {
		return wrap("payfip order", err)
	}
	return t.AppendPayFiPEvent(o.IdOp, PayFiPEvent{State: PayFiPCreated, At: o.CreatedAt})
}

// AppendPayFiPEvent appends a state to an order.
func (t *Tx) AppendPayFiPEvent(idOp string, e PayFiPEvent) error {
	return wrap("payfip event", t.exec(`INSERT INTO payfip_order_events (idop, state, result, payment_id, note, at) VALUES (?, ?, ?, ?, ?, ?)`,
		idOp, e.State, e.Result, e.PaymentID, e.Note, e.At.UTC().Format(regie.TimeFormat)))
}

const payfipOrderColumns = `o.idop, o.regie, o.numcli, o.household_id, o.invoice_id, o.invoice_number, o.refdet, o.amount, o.created_at,
	e.state, e.result, e.payment_id, e.note, e.at
	FROM payfip_orders o JOIN payfip_order_events e ON e.id = (SELECT max(id) FROM payfip_order_events WHERE idop = o.idop)`

func scanPayFiPOrder(sc interface{ Scan(...any) error }) (*PayFiPOrder, error) {
	var o PayFiPOrder
	var amount int64
	var created, at string
	if err := sc.Scan(&o.IdOp, &o.Regie, &o.Numcli, &o.HouseholdID, &o.InvoiceID, &o.InvoiceNumber, &o.Refdet, &amount, &created,
		&o.State, &o.Result, &o.PaymentID, &o.Note, &at); err != nil {
		return nil, err
	}
	o.Amount = regie.Money(amount)
	o.CreatedAt, _ = time.Parse(regie.TimeFormat, created)
	o.StateAt, _ = time.Parse(regie.TimeFormat, at)
	return &o, nil
}

// PayFiPOrder reads an order with its current state; nil when unknown.
func (t *Tx) PayFiPOrder(idOp string) (*PayFiPOrder, error) {
	o, err := scanPayFiPOrder(t.queryRow(`SELECT `+payfipOrderColumns+` WHERE o.idop = ?`, idOp))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return o, wrap("payfip order", err)
}

// PayFiPOrders lists orders, latest first: those of one invoice (or every
// invoice when empty) created since since.
func (t *Tx) PayFiPOrders(invoiceID string, since time.Time) ([]PayFiPOrder, error) {
	return t.payfipOrders(`WHERE (? = '' OR o.invoice_id = ?) AND o.created_at >= ? ORDER BY o.created_at DESC, o.idop`,
		invoiceID, invoiceID, since.UTC().Format(regie.TimeFormat))
}

// PayFiPToSettle lists the orders still waiting for an outcome (created,
// no answer since) that were made between from and to, oldest first, at
// most limit: what the settle job asks PayFiP about.
func (t *Tx) PayFiPToSettle(from, to time.Time, limit int) ([]PayFiPOrder, error) {
	return t.payfipOrders(`WHERE o.created_at >= ? AND o.created_at <= ? AND e.state = 'created' ORDER BY o.created_at, o.idop LIMIT ?`,
		from.UTC().Format(regie.TimeFormat), to.UTC().Format(regie.TimeFormat), limit)
}

// PayFiPAnomalies lists the orders of the given régies whose outcome needs
// the régisseur (a status that disagrees with the order, a payment the
// ledger refused), latest first.
func (t *Tx) PayFiPAnomalies(regies []string) ([]PayFiPOrder, error) {
	var out []PayFiPOrder
	for _, r := range regies {
		os, err := t.payfipOrders(`WHERE o.regie = ? AND e.state = 'anomaly' ORDER BY o.created_at DESC`, r)
		if err != nil {
			return nil, err
		}
		out = append(out, os...)
	}
	return out, nil
}

func (t *Tx) payfipOrders(where string, args ...any) ([]PayFiPOrder, error) {
	rows, err := t.query(`SELECT `+payfipOrderColumns+` `+where, args...)
	if err != nil {
		return nil, wrap("payfip orders", err)
	}
	defer rows.Close()
	var out []PayFiPOrder
	for rows.Next() {
		o, err := scanPayFiPOrder(rows)
		if err != nil {
			return nil, wrap("payfip orders", err)
		}
		out = append(out, *o)
	}
	return out, wrap("payfip orders", rows.Err())
}

// PayFiPEvents lists an order's states, first first.
func (t *Tx) PayFiPEvents(idOp string) ([]PayFiPEvent, error) {
	rows, err := t.query(`SELECT state, result, payment_id, note, at FROM payfip_order_events WHERE idop = ? ORDER BY id`, idOp)
	if err != nil {
		return nil, wrap("payfip events", err)
	}
	defer rows.Close()
	var out []PayFiPEvent
	for rows.Next() {
		var e PayFiPEvent
		var at string
		if err := rows.Scan(&e.State, &e.Result, &e.PaymentID, &e.Note, &at); err != nil {
			return nil, wrap("payfip events", err)
		}
		e.At, _ = time.Parse(regie.TimeFormat, at)
		out = append(out, e)
	}
	return out, wrap("payfip events", rows.Err())
}
