package store

import (
	"fmt"
	"sort"

	"github.com/regie-fr/regie"
)

// rebuild is what the payments, allocations and cancellations tables and
// the amounts paid on invoices should hold, rebuilt from the journals by
// verify the way a push projects them.
type rebuild struct {
	rows     map[string]map[string]string // table → key → row
	owner    map[string]string            // payment id → counter code
	payments map[string]*regie.Payment
	paid     map[string]int64 // invoice id → amount paid, cancellations deducted
}

func newRebuild() *rebuild {
	return &rebuild{rows: map[string]map[string]string{"payments": {}, "allocations": {}, "cancellations": {},
		"payment_modes": {}},
		owner: map[string]string{}, payments: map[string]*regie.Payment{}, paid: map[string]int64{}}
}

func row(vals ...any) string { return fmt.Sprintf("%q", vals) }

func (rb *rebuild) add(c *Counter, e *regie.Entry, obj any) {
	switch o := obj.(type) {
	case *regie.Payment:
		rb.rows["payments"][o.ID] = row(o.ID, c.ID, e.Seq, o.Receipt, o.Regie, o.Counter, o.Day, dbTime(o.At), o.Agent,
			o.HouseholdID, o.Account, o.Payer, int64(o.Total))
		for i, a := range o.Allocations {
			rb.rows["allocations"][fmt.Sprintf("%s/%d", o.ID, i)] = row(o.ID, int64(i), a.InvoiceID, a.InvoiceNumber, a.ItemCode,
				a.Label, int64(a.Amount), int64(a.Credit))
			if a.InvoiceID != "" {
				rb.paid[a.InvoiceID] += int64(a.Amount)
			}
		}
		rb.rows["payment_modes"][o.ID] = row(o.ID, modesOf(o.Tenders))
		rb.owner[o.ID], rb.payments[o.ID] = counterKey(c.Regie, c.Code), o
	case *regie.Cancellation:
		p := rb.payments[o.PaymentID]
		if p == nil || rb.owner[o.PaymentID] != counterKey(c.Regie, c.Code) {
			return // never projected: the push refused it
		}
		rb.rows["cancellations"][o.ID] = row(o.ID, o.PaymentID, c.ID, e.Seq, o.Day, dbTime(o.At), o.Agent, o.ApprovedBy,
			o.Reason, o.Comment)
		for _, a := range p.Allocations {
			if a.InvoiceID != "" {
				rb.paid[a.InvoiceID] -= int64(a.Amount)
			}
		}
	}
}

// projections lists, per table, the query that reads its rows in the
// rebuild's column order and how a row's key and counter are found.
var projections = []struct {
	table, query string
	key          func(vals []any) string
	payment      func(vals []any) string
}{
	{"payments", `SELECT id, counter_id, seq, receipt, regie, counter, day, at, agent, household_id, account, payer, total FROM payments`,
		func(v []any) string { return fmt.Sprint(v[0]) }, func(v []any) string { return fmt.Sprint(v[0]) }},
	{"allocations", `SELECT payment_id, idx, invoice_id, invoice_number, item_code, label, amount, credit FROM allocations`,
		func(v []any) string { return fmt.Sprintf("%v/%v", v[0], v[1]) }, func(v []any) string { return fmt.Sprint(v[0]) }},
	{"cancellations", `SELECT id, payment_id, counter_id, seq, day, at, agent, approved_by, reason, comment FROM cancellations`,
		func(v []any) string { return fmt.Sprint(v[0]) }, func(v []any) string { return fmt.Sprint(v[1]) }},
	{"payment_modes", `SELECT payment_id, modes FROM payment_modes`,
		func(v []any) string { return fmt.Sprint(v[0]) }, func(v []any) string { return fmt.Sprint(v[0]) }},
}

// compareProjections compares every row of the tables with the rebuild,
// every column, and each invoice's amount paid; a difference goes to the
// report of the counter whose payment it concerns (invoices to a report of
// their own).
// counterKey names a counter across the city: codes are only unique
// within a régie.
func counterKey(regieCode, counter string) string { return regieCode + "/" + counter }

func (t *Tx) compareProjections(rb *rebuild, reports []ChainReport) ([]ChainReport, error) {
	byCounter := map[string]*ChainReport{}
	for i := range reports {
		byCounter[counterKey(reports[i].Regie, reports[i].Counter)] = &reports[i]
	}
	orphans := &ChainReport{Regie: "*", Counter: "tables"}
	report := func(paymentID string) *ChainReport {
		if r := byCounter[rb.owner[paymentID]]; r != nil {
			return r
		}
		return orphans
	}
	for _, p := range projections {
		want := rb.rows[p.table]
		seen := map[string]bool{}
		rows, err := t.query(p.query)
		if err != nil {
			return nil, wrap("verify "+p.table, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals, ptrs := make([]any, len(cols)), make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return nil, wrap("verify "+p.table, err)
			}
			k := p.key(vals)
			seen[k] = true
			if w, ok := want[k]; !ok {
				report(p.payment(vals)).add(Problem{Code: "projection",
					Message: fmt.Sprintf("table %s, ligne %s : aucune entrée du journal ne l'a enregistrée", p.table, k)})
			} else if got := row(vals...); got != w {
				report(p.payment(vals)).add(Problem{Code: "projection",
					Message: fmt.Sprintf("table %s, ligne %s : %s au lieu de %s (journal)", p.table, k, got, w)})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, wrap("verify "+p.table, err)
		}
		var missing []string
		for k := range want {
			if !seen[k] {
				missing = append(missing, k)
			}
		}
		sort.Strings(missing)
		for _, k := range missing {
			orphans.add(Problem{Code: "projection", Message: fmt.Sprintf("table %s : la ligne %s du journal manque", p.table, k)})
		}
	}
	if err := t.compareHouseholdWords(orphans); err != nil {
		return nil, err
	}
	if err := t.comparePaid(rb, orphans); err != nil {
		return nil, err
	}
	if len(orphans.Problems) > 0 {
		return []ChainReport{*orphans}, nil
	}
	return nil, nil
}

// comparePaid checks each invoice's amount paid against the allocations of
// the journals, cancellations deducted.
func (t *Tx) comparePaid(rb *rebuild, r *ChainReport) error {
	rows, err := t.query(`SELECT id, number, paid FROM invoices ORDER BY id`)
	if err != nil {
		return wrap("verify invoices", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, number string
		var paid int64
		if err := rows.Scan(&id, &number, &paid); err != nil {
			return wrap("verify invoices", err)
		}
		if want := rb.paid[id]; paid != want {
			r.add(Problem{Code: "projection", Message: fmt.Sprintf("facture %s : %s payés selon la table, %s selon les journaux",
				number, regie.Money(paid), regie.Money(want))})
		}
	}
	return wrap("verify invoices", rows.Err())
}
