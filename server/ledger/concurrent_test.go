package ledger_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/ledger"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/server/store/storetest"
)

// TestConcurrentTellingsRecordOnce has the same PayFiP payment told at
// once by many goroutines (its notification, the citizen's return, the
// settle job, a retry) while other payments arrive: one payment for it,
// the receipt numbers without gap or double, the journal verified.
func TestConcurrentTellingsRecordOnce(t *testing.T) {
	st := newStore(t)
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, paris)
	var wg sync.WaitGroup
	receipts := make(chan string, 64)
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := "IDOP-SAME"
			if i%2 == 1 {
				key = "IDOP-OTHER-" + string(rune('A'+i))
			}
			p, _, err := record(t, st, online(key, 1_00), now.Add(time.Duration(i)*time.Second))
			if err != nil {
				t.Error(err)
				return
			}
			receipts <- p.Receipt
		}()
	}
	wg.Wait()
	close(receipts)
	distinct := map[string]bool{}
	for r := range receipts {
		distinct[r] = true
	}
	if len(distinct) != 9 { // one for IDOP-SAME, eight others
		t.Fatalf("%d distinct receipts, want 9: %v", len(distinct), distinct)
	}
	if got := remaining(t, st, "i-0001-1"); got != 61_60-9_00 {
		t.Fatalf("remaining %s, want 52,60 €", got)
	}
	for n := 1; n <= 9; n++ {
		if !distinct[regie.ReceiptNumber("ENF", "ENLIGNE", 2026, n)] {
			t.Fatalf("receipt n° %d missing: %v", n, distinct)
		}
	}
	verifyClean(t, st)
}

// BenchmarkRecordOnline records online payments for 2 000 households'
// invoices on the online counter, one transaction each as PayFiP's
// notifications come; BenchmarkDurableWriteFloor is its floor.
func BenchmarkRecordOnline(b *testing.B) {
	st, err := store.Open(context.Background(), storetest.DB(b, "serveur"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	seedMany(b, st, 2000)
	now := time.Date(2026, 12, 3, 8, 0, 0, 0, paris)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h := i % 2000
		req := ledger.Request{Regie: "ENF", Channel: regie.ChannelOnline, Source: ledger.SourcePayFiP,
			Key: "B" + itoa(i), HouseholdID: "bh-" + itoa(h),
			Tenders:     []regie.Tender{{Mode: regie.Online, Amount: 1, Reference: "B" + itoa(i)}},
			Allocations: []regie.Allocation{{InvoiceID: "bi-" + itoa(h), Label: "x", Amount: 1}}}
		err := st.Update(context.Background(), func(tx *store.Tx) error {
			_, _, err := ledger.Record(tx, req, now.Add(time.Duration(i)*time.Millisecond))
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDurableWriteFloor is one durable single-row write transaction on
// the same store (a counter's last-seen row): what any recorded payment
// costs at the least.
func BenchmarkDurableWriteFloor(b *testing.B) {
	st, err := store.Open(context.Background(), storetest.DB(b, "serveur"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	seedMany(b, st, 2000)
	var c *store.Counter
	if err := st.Update(context.Background(), func(tx *store.Tx) (err error) {
		c, err = tx.ServerCounter("ENF", store.CounterOnline, time.Now())
		return err
	}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := st.Update(context.Background(), func(tx *store.Tx) error {
			return tx.SawCounter(c.ID, int64(i), time.Now())
		}); err != nil {
			b.Fatal(err)
		}
	}
}
