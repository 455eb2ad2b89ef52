package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app/apptest"
	"github.com/regie-fr/regie/server/servertest"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/server/store/storetest"
)

// BenchmarkDashboard reads the dashboard of a régie whose counter holds two
// years of a busy desk: 500 days of 60 payments (30 000), one in four by
// cheque; the cheques deposited every week ("weekly", as a régie does), or
// never (the worst case: every cheque ever taken is held, 7 500).
func BenchmarkDashboard(b *testing.B) {
	for _, tc := range []struct {
		name string
		held int
	}{{"weekly", 0}, {"never", benchDays * 15}} {
		ctx := context.Background()
		st, now := bigCounter(b, tc.held == 0)
		// The floor: one pass of the database over the cheque payments'
		// JSON, which the dashboard cannot do without (it reads them to
		// find the cheques held).
		b.Run(tc.name+"/floor", func(b *testing.B) {
			for range b.N {
				var n int
				if err := st.QueryRow(`SELECT count(*) FROM journal j INDEXED BY journal_check_payments, json_each(j.data, '$.tenders') tn
					WHERE j.kind = 'payment' AND (instr(j.data, 'check') > 0 OR instr(j.data, '\u') > 0) AND tn.value ->> '$.mode' = 'check'`).Scan(&n); err != nil || n != benchDays*15 {
					b.Fatal(n, err)
				}
			}
		})
		b.Run(tc.name, func(b *testing.B) {
			for range b.N {
				ds, err := st.Dashboard(ctx, []string{"ENF"}, now)
				if err != nil {
					b.Fatal(err)
				}
				if c := byCode(b, ds[0], "B1"); len(c.Checks) != tc.held {
					b.Fatalf("%d cheques held", len(c.Checks))
				}
			}
		})
	}
}

// bigCounter writes the benchmark's journal and gives the instant after it.
func bigCounter(b *testing.B, deposit bool) (*store.Store, time.Time) {
	b.Helper()
	st, err := store.Open(context.Background(), storetest.DB(b, "serveur"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	servertest.Seed(b, st)
	servertest.AddCounter(b, st, "B1")
	j := apptest.NewJournal("ENF", "B1", "agent")
	j.Float = 150_00
	start := time.Date(2025, 1, 6, 9, 0, 0, 0, apptest.Paris)
	var now time.Time
	var held []regie.CheckLine
	var out []regie.Entry
	for d := range benchDays {
		day := start.AddDate(0, 0, d)
		if deposit && d%7 == 6 && len(held) > 0 {
			j.Close(b, day.Add(-time.Hour))
			dep := &regie.Deposit{ID: fmt.Sprintf("B1-d%d", d), Counter: "B1", Agent: "agent", At: regie.JournalTime(day.Add(-30 * time.Minute)),
				Day: day.Format(time.DateOnly), Checks: held, Total: regie.ChecksTotal(held)}
			e, err := regie.NewEntry(j.Last(), "B1", regie.KindDeposit, dep.ID, "agent", dep.At, dep)
			if err != nil {
				b.Fatal(err)
			}
			out = append(append(out, j.Take()...), *e)
			j.Follow(e)
			held = nil
		}
		for i := range 60 {
			now = day.Add(time.Duration(i) * time.Minute)
			t := regie.Tender{Mode: regie.Card, Amount: 12_00, Authorisation: "A"}
			if i%4 == 0 {
				t = regie.Tender{Mode: regie.Check, Amount: 12_00, CheckNumber: "1", Bank: "B", Drawer: "D"}
			}
			p := &regie.Payment{Tenders: []regie.Tender{t}, Allocations: []regie.Allocation{{ItemCode: "PISC-ENT", Label: "Entrée", Amount: 12_00}}}
			j.Pay(b, now, p)
			if t.Mode == regie.Check {
				held = append(held, regie.CheckLine{PaymentID: p.ID, Receipt: p.Receipt, Number: "1", Bank: "B", Drawer: "D", Amount: 12_00})
			}
		}
		if d%50 == 49 {
			servertest.Push(b, st, "ENF", "B1", append(out, j.Take()...), now.Add(time.Hour))
			out = nil
		}
	}
	servertest.Push(b, st, "ENF", "B1", append(out, j.Take()...), now.Add(time.Hour))
	if deposit {
		// The last week's cheques are deposited too.
		last := time.Date(now.Year(), now.Month(), now.Day(), 23, 0, 0, 0, apptest.Paris)
		dep := &regie.Deposit{ID: "B1-last", Counter: "B1", Agent: "agent", At: regie.JournalTime(last), Day: last.Format(time.DateOnly),
			Checks: held, Total: regie.ChecksTotal(held)}
		e, err := regie.NewEntry(j.Last(), "B1", regie.KindDeposit, dep.ID, "agent", dep.At, dep)
		if err != nil {
			b.Fatal(err)
		}
		servertest.Push(b, st, "ENF", "B1", []regie.Entry{*e}, last.Add(time.Hour))
	}
	return st, now.Add(48 * time.Hour)
}

// benchDays is how many days the benchmark's counter worked.
const benchDays = 140
