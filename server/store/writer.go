package store

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// rowsPerInsert is how many rows one INSERT writes when a push flushes its
// buffers: the driver's cost is per statement, SQLite's per row.
const rowsPerInsert = 100

// rowBuffer holds rows of one table waiting to be written.
type rowBuffer struct {
	table string
	cols  int
	args  []any
}

func (b *rowBuffer) add(vals ...any) { b.args = append(b.args, vals...) }

// pending are the rows a push has not written yet, in the order their
// foreign keys need: journal, then payments, then allocations.
type pending struct {
	journal, payments, allocations rowBuffer
}

func newPending() *pending {
	return &pending{journal: rowBuffer{table: "journal", cols: 10}, payments: rowBuffer{table: "payments", cols: 13},
		allocations: rowBuffer{table: "allocations", cols: 8}}
}

var _ = func() int {
	for _, b := range newPending().all() {
		hot(insertRowsQuery(b.table, b.cols, rowsPerInsert))
	}
	return 0
}()

func (p *pending) all() []*rowBuffer { return []*rowBuffer{&p.journal, &p.payments, &p.allocations} }

// errFlush marks a failure while writing buffered rows: it cannot be
// pinned on one entry, so Push runs the batch again an entry at a time.
var errFlush = errors.New("store: flush")

// flushRows writes every buffered row.
func (t *Tx) flushRows() error {
	if t.pending == nil {
		return nil
	}
	for _, b := range t.pending.all() {
		for n := len(b.args) / b.cols; n > 0; n = len(b.args) / b.cols {
			k := min(n, rowsPerInsert)
			if err := t.exec(insertRowsQuery(b.table, b.cols, k), b.args[:k*b.cols]...); err != nil {
				b.args = b.args[:0]
				return fmt.Errorf("%w: %s: %w", errFlush, b.table, err)
			}
			b.args = b.args[k*b.cols:]
		}
		b.args = nil
	}
	return nil
}

// prefetchInvoices reads, a few hundred at a time, the invoices a batch of
// payments settles, into the cache applyToInvoice works on.
func (t *Tx) prefetchInvoices(ids []string) error {
	if t.invoices == nil {
		t.invoices = map[string]*invoicePaid{}
	}
	var todo []any
	for _, id := range ids {
		if _, ok := t.invoices[id]; !ok {
			t.invoices[id] = &invoicePaid{}
			todo = append(todo, id)
		}
	}
	for len(todo) > 0 {
		k := min(len(todo), 500)
		rows, err := t.query(`SELECT id, household_id, regie, number, amount, paid FROM invoices WHERE id IN (?`+
			strings.Repeat(",?", k-1)+`)`, todo[:k]...)
		if err != nil {
			return wrap("prefetch invoices", err)
		}
		for rows.Next() {
			var id string
			inv := invoicePaid{known: true}
			if err := rows.Scan(&id, &inv.household, &inv.regie, &inv.number, &inv.amount, &inv.paid); err != nil {
				rows.Close()
				return wrap("prefetch invoices", err)
			}
			*t.invoices[id] = inv
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return wrap("prefetch invoices", err)
		}
		todo = todo[k:]
	}
	return nil
}

// flushInvoices writes what was paid on the invoices a batch changed, each
// with a new revision so that the counters pull it. (One UPDATE … FROM
// VALUES for a hundred invoices was measured slower: SQLite scans the
// invoices for it.)
func (t *Tx) flushInvoices() error {
	ids := make([]string, 0, len(t.invoices))
	for id, inv := range t.invoices {
		if inv.dirty {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		rev, err := t.nextRev()
		if err != nil {
			return err
		}
		if err := t.exec(qSetPaid, t.invoices[id].paid, rev, id); err != nil {
			return wrap("flush invoices", err)
		}
		t.invoices[id].dirty = false
	}
	return nil
}

var qSetPaid = hot(`UPDATE invoices SET paid = ?, rev = ? WHERE id = ?`)
