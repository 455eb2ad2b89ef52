package api_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/sync/protocol"
)

// day0 is the business day of the journals built here: 09:00 in Paris.
var day0 = time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)

// seedReference gives the server two households with an invoice each and a
// catalogue item, as an import would.
func (e *env) seedReference() {
	e.t.Helper()
	err := e.st.Update(context.Background(), func(tx *store.Tx) error {
		for _, h := range []regie.Household{{ID: "H1", Account: "F1", Name: "Martin"}, {ID: "H2", Account: "F2", Name: "Durand"}} {
			if err := tx.UpsertHousehold(&h); err != nil {
				return err
			}
		}
		for _, inv := range []regie.Invoice{{ID: "I1", Number: "FAC-1", HouseholdID: "H1", Label: "Cantine", Amount: 50_00},
			{ID: "I2", Number: "FAC-2", HouseholdID: "H2", Label: "Cantine", Amount: 40_00}} {
			if err := tx.UpsertInvoice("ENF", &inv); err != nil {
				return err
			}
		}
		return tx.SaveItem("ENF", &regie.CatalogueItem{Code: "PISC", Label: "Piscine", Price: 3_00, Active: true})
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// book writes a counter's journal the way the counter does: each object
// dated with its entry, receipts numbered in order, a closing computed from
// the day's entries. Objects can be changed before they are chained, to
// break exactly one rule.
type book struct {
	t        testing.TB
	counter  string
	prev     *regie.Entry
	entries  []regie.Entry
	at       time.Time
	receipts int
	state    *regie.JournalState
	session  *regie.TillSession
}

func newBook(t testing.TB, counter string) *book {
	return &book{t: t, counter: counter, at: day0, state: regie.NewJournalState(nil)}
}

// add chains obj as the next entry, dated with the book's clock.
func (b *book) add(kind regie.EntryKind, id string, obj any) *regie.Entry {
	b.t.Helper()
	return b.addAs(kind, id, "a-1", obj)
}

func (b *book) addAs(kind regie.EntryKind, id, agent string, obj any) *regie.Entry {
	b.t.Helper()
	e, err := regie.NewEntry(b.prev, b.counter, kind, id, agent, b.at, obj)
	if err != nil {
		b.t.Fatal(err)
	}
	b.entries, b.prev = append(b.entries, *e), e
	if decoded, err := regie.DecodeEntry(e); err == nil {
		b.state.Apply(e, decoded)
	}
	return e
}

func (b *book) tick() time.Time {
	b.at = b.at.Add(time.Minute)
	return b.at
}

func (b *book) day() string { return regie.DayOf(b.at, paris) }

var paris = func() *time.Location {
	l, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return l
}()

func (b *book) open() *regie.TillSession {
	at := b.tick()
	s := &regie.TillSession{ID: fmt.Sprintf("%s-s-%s", b.counter, b.day()), Counter: b.counter, Agent: "a-1", OpenedAt: at,
		Day: b.day(), Float: 100_00}
	b.add(regie.KindSessionOpen, s.ID, s)
	b.session = s
	return s
}

// payment is a valid cash payment of amount on invoice I1 (household H1),
// not yet chained: change it, then record it with b.pay.
func (b *book) payment(id string, amount regie.Money) *regie.Payment {
	at := b.tick()
	return &regie.Payment{ID: id, Receipt: regie.ReceiptNumber("ENF", b.counter, at.In(paris).Year(), b.receipts+1),
		Regie: "ENF", Counter: b.counter, SessionID: b.session.ID, Agent: "a-1", At: at, Day: b.day(), HouseholdID: "H1",
		Account: "F1", Tenders: []regie.Tender{{Mode: regie.Cash, Amount: amount, Tendered: amount}},
		Allocations: []regie.Allocation{{InvoiceID: "I1", InvoiceNumber: "FAC-1", Label: "Cantine", Amount: amount}}, Total: amount}
}

func (b *book) pay(p *regie.Payment) *regie.Entry {
	b.receipts++
	return b.add(regie.KindPayment, p.ID, p)
}

// cancellation is a valid cancellation of p, not yet chained.
func (b *book) cancellation(id string, p *regie.Payment) *regie.Cancellation {
	at := b.tick()
	return &regie.Cancellation{ID: id, PaymentID: p.ID, Receipt: p.Receipt, Reason: regie.CancelReasons[0], Agent: "a-1",
		ApprovedBy: "a-1", At: at, Day: b.day(), Refunds: p.Tenders}
}

// closing is the day's valid closing with the till counted as expected.
func (b *book) closing(id string) *regie.Closing {
	at := b.tick()
	f, err := b.state.DayFigures(b.session.Day)
	if err != nil {
		b.t.Fatal(err)
	}
	prev, _ := b.state.LastClosing()
	c := &regie.Closing{ID: id, Counter: b.counter, Day: b.session.Day, Agent: "a-1", At: at, Sessions: []string{b.session.ID},
		Float: b.session.Float}
	c.Compute(f, prev)
	c.Count = regie.CashCount{{Value: 1, Count: int64(c.ExpectedCash)}}
	c.Compute(f, prev)
	c.Payments, c.Cancellations, c.FirstReceipt, c.LastReceipt = f.Payments, f.Cancellations, f.FirstReceipt, f.LastReceipt
	return c
}

// push sends entries as the counter and decodes the answer.
func (e *env) pushEntries(counter string, es []regie.Entry) (int, protocol.ErrorBody) {
	e.t.Helper()
	var body protocol.ErrorBody
	status := e.do("POST", protocol.PathPush, e.creds[counter], pushReq(counter, es), &body)
	return status, body
}

// dump is every row of every table, in a stable order: two equal dumps
// mean an unchanged database.
func dump(t testing.TB, st *store.Store) string {
	t.Helper()
	// The dashboard's record of a refused push and of the counter's visit
	// (sync_refusals, counter_sync) is written after the refused batch was
	// rolled back: it is the refusal's trace, not something of the batch.
	s, err := st.Dump("sync_refusals", "counter_sync")
	if err != nil {
		t.Fatal(err)
	}
	return s
}
