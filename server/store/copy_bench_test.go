package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app/apptest"
	"github.com/regie-fr/regie/server/servertest"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/server/store/storetest"
)

// copyBenchPayments is the size of the city the benchmark moves.
const copyBenchPayments = 100_000

// BenchmarkCopy moves a city of 100 000 desk payments (one in three
// settling a household's invoice, so the portal's projection has rows)
// from its file into PostgreSQL, checks included (the rows read back,
// verify on both sides). Its floors, in the same run: reading every row of
// the file once, and verify on the file alone (the copy runs it on each
// side, both at once); and verify on the copy, PostgreSQL's share of the
// checks.
func BenchmarkCopy(b *testing.B) {
	storetest.PostgresOnly(b, "a copy into PostgreSQL")
	ctx := context.Background()
	file := bigCity(b)
	src, err := store.Open(ctx, file)
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	b.Run("floor-read", func(b *testing.B) {
		for range b.N {
			if _, err := src.Dump(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("floor-verify", func(b *testing.B) {
		for range b.N {
			if _, err := src.Verify(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	var to string
	outer := b // the last copy outlives its sub-benchmark
	b.Run("copy", func(b *testing.B) {
		for range b.N {
			b.StopTimer()
			to = storetest.DB(outer, "cible")
			b.StartTimer()
			rep, err := store.Copy(ctx, file, to)
			if err != nil || !rep.OK() {
				b.Fatal(err)
			}
			var rows int64
			for _, t := range rep.Tables {
				rows += t.Rows
			}
			b.ReportMetric(float64(rows), "rows")
			b.ReportMetric(float64(rep.RowsMillis)/1e3, "s-writing")
			b.ReportMetric(float64(rep.Millis-rep.RowsMillis)/1e3, "s-checking")
		}
	})
	// What the checks cost on the copy's side: verify on PostgreSQL.
	b.Run("verify-postgres", func(b *testing.B) {
		dst, err := store.Open(ctx, to)
		if err != nil {
			b.Fatal(err)
		}
		defer dst.Close()
		for range b.N {
			if _, err := dst.Verify(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// bigCity writes the benchmark's file: the demo régie, and one counter's
// copyBenchPayments payments, 200 a day, each day closed.
func bigCity(b *testing.B) string {
	b.Helper()
	ctx := context.Background()
	file := filepath.Join(b.TempDir(), "ville.db")
	st, err := store.Open(ctx, file)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	servertest.Seed(b, st)
	servertest.AddCounter(b, st, "B1")
	j := apptest.NewJournal("ENF", "B1", "agent")
	j.Float = 150_00
	start := time.Date(2021, 1, 4, 8, 0, 0, 0, apptest.Paris)
	var now time.Time
	for i := range copyBenchPayments {
		now = start.AddDate(0, 0, i/200).Add(time.Duration(i%200) * time.Minute)
		p := &regie.Payment{Tenders: []regie.Tender{{Mode: regie.Card, Amount: 4_20, Authorisation: "A"}},
			Allocations: []regie.Allocation{{ItemCode: "PISC-ENT", Label: "Entrée", Amount: 4_20}}}
		if i%3 == 0 {
			h := 1 + i%6
			p.HouseholdID, p.Account = fmt.Sprintf("h-%04d", h), fmt.Sprintf("F00100%d", h)
		}
		j.Pay(b, now, p)
		if i%5000 == 4999 {
			servertest.Push(b, st, "ENF", "B1", j.Take(), now.Add(time.Hour))
		}
	}
	j.Close(b, now.Add(time.Hour))
	servertest.Push(b, st, "ENF", "B1", j.Take(), now.Add(2*time.Hour))
	return file
}
