package store

import (
	"encoding/json"
	"runtime"
	"sync"
	"time"

	"github.com/regie-fr/regie"
)

// Batch is a run of a counter's journal entries made ready for Push outside
// the write transaction: each entry's link to the one before it in the
// batch checked (regie.CheckLink, which recomputes its hash), and what it
// records decoded. That work is pure computation, so it is spread over the
// processors and keeps the single writer busy only with writing.
type Batch struct {
	entries []regie.Entry
	links   []error // links[i]: CheckLink(&entries[i-1], &entries[i]); links[0] is checked in Push, against the stored head
	objs    []any   // *paymentRow, *cancellationRow or nil
	decode  []error
}

// PrepareBatch checks and decodes entries, given in order with consecutive
// sequence numbers.
func PrepareBatch(entries []regie.Entry) *Batch {
	b := &Batch{entries: entries, links: make([]error, len(entries)), objs: make([]any, len(entries)),
		decode: make([]error, len(entries))}
	workers := min(runtime.GOMAXPROCS(0), max(len(entries)/64, 1))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(entries); i += workers {
				b.prepare(i)
			}
		}()
	}
	wg.Wait()
	return b
}

func (b *Batch) prepare(i int) {
	e := &b.entries[i]
	if i > 0 {
		b.links[i] = regie.CheckLink(&b.entries[i-1], e)
	}
	switch e.Kind {
	case regie.KindPayment:
		var p paymentRow
		b.decode[i] = json.Unmarshal(e.Data, &p)
		b.objs[i] = &p
	case regie.KindCancellation:
		var x cancellationRow
		b.decode[i] = json.Unmarshal(e.Data, &x)
		b.objs[i] = &x
	}
}

// paymentRow is what the server indexes of a payment (the fields of
// regie.Payment it queries by); the tenders and the rest stay in the
// journal entry's data, which is what exports read.
type paymentRow struct {
	ID          string    `json:"id"`
	Receipt     string    `json:"receipt"`
	Regie       string    `json:"regie"`
	Counter     string    `json:"counter"`
	Agent       string    `json:"agent"`
	At          time.Time `json:"at"`
	Day         string    `json:"day"`
	HouseholdID string    `json:"household_id"`
	Account     string    `json:"account"`
	Payer       string    `json:"payer"`
	Total       int64     `json:"total"`
	Allocations []struct {
		InvoiceID     string `json:"invoice_id"`
		InvoiceNumber string `json:"invoice_number"`
		ItemCode      string `json:"item_code"`
		Label         string `json:"label"`
		Amount        int64  `json:"amount"`
		Credit        int64  `json:"credit"`
	} `json:"allocations"`
}

// cancellationRow is regie.Cancellation without the refunds, which the
// journal entry keeps.
type cancellationRow struct {
	ID         string    `json:"id"`
	PaymentID  string    `json:"payment_id"`
	Receipt    string    `json:"receipt"`
	Reason     string    `json:"reason"`
	Comment    string    `json:"comment"`
	Agent      string    `json:"agent"`
	ApprovedBy string    `json:"approved_by"`
	At         time.Time `json:"at"`
	Day        string    `json:"day"`
}
