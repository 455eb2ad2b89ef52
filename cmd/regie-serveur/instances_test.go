package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/app/apptest"
	appdemo "github.com/regie-fr/regie/app/demo"
	appstore "github.com/regie-fr/regie/app/store"
	"github.com/regie-fr/regie/server/servertest"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/sync/client"
)

// instance is a serve the test stops and starts again on the same
// address, as a load balancer's member is upgraded.
type instance struct {
	t      *testing.T
	vars   map[string]string
	stop   context.CancelFunc
	exited chan int
}

func startInstance(t *testing.T, vars map[string]string) *instance {
	t.Helper()
	in := &instance{t: t, vars: vars}
	in.start()
	t.Cleanup(in.halt)
	return in
}

func (in *instance) start() {
	in.t.Helper()
	ctx, stop := context.WithCancel(context.Background())
	ready, exited := make(chan string, 1), make(chan int, 1)
	go func() {
		exited <- run(ctx, []string{"serve"}, env{get: func(k string) string { return in.vars[k] }, ready: ready}, io.Discard, io.Discard)
	}()
	select {
	case <-ready:
	case code := <-exited:
		stop()
		in.t.Fatalf("serve exited %d", code)
	}
	in.stop, in.exited = stop, exited
}

func (in *instance) halt() {
	if in.stop != nil {
		in.stop()
		<-in.exited
		in.stop = nil
	}
}

// desk is one counter of the concurrency test: its own file, its sync
// client bound to the instance it enrolled through, and what it cashed.
type desk struct {
	code string
	c    *app.Counter
	sc   *client.Client
	a    *app.Auth
	paid map[string]regie.Money // invoice id → cashed on it
	ids  []string
}

// TestFiftyCountersTwoInstances: 50 counters push at once through two
// server instances on one database (PostgreSQL in the second run of make
// test), while citizens read the portal and Publik reads invoices, and one
// instance is stopped and started again in the middle. Every chain then
// verifies, every payment is stored once, and every invoice's amount paid
// is exactly what the desks cashed on it.
func TestFiftyCountersTwoInstances(t *testing.T) {
	if testing.Short() {
		t.Skip("50 desks: not in -short")
	}
	ctx := context.Background()
	vars := map[string]string{"REGIE_PUBLIK_KEYS": publikOrig + "=" + publikKey}
	w := newWorld(t, vars)
	second := map[string]string{}
	for k, v := range vars {
		second[k] = v
	}
	second["REGIE_ADDR"] = freeAddr(t)
	in2 := startInstance(t, second)
	bases := []string{w.base, "http://" + second["REGIE_ADDR"]}

	const desks, rounds = 50, 3
	st, err := store.Open(ctx, w.db)
	if err != nil {
		t.Fatal(err)
	}
	codes := make([]string, desks)
	for i := range codes {
		codes[i] = servertest.AddCounter(t, st, fmt.Sprintf("P%02d", i+1))
	}
	st.Close()
	var invoices []string
	for _, inv := range appdemo.Reference().Invoices {
		invoices = append(invoices, inv.ID)
	}

	ds := make([]*desk, desks)
	for i := range ds {
		cst, err := appstore.Open(ctx, filepath.Join(t.TempDir(), "caisse.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cst.Close() })
		d := &desk{code: fmt.Sprintf("P%02d", i+1), c: app.New(app.Adapt(cst), app.WithLocation(apptest.Paris)), paid: map[string]regie.Money{}}
		d.sc = client.New(d.c, client.Options{Timeout: 10 * time.Second})
		if _, err := d.sc.Enrol(ctx, bases[i%2], codes[i]); err != nil {
			t.Fatal(err)
		}
		if err := d.sc.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		d.a = apptest.Login(t, d.c, appdemo.MandataireLogin, appdemo.MandatairePIN)
		apptest.Open(t, d.c, d.a, 50_00)
		ds[i] = d
	}
	// cash records a desk's payments of 10 cents on invoices chosen so that
	// every invoice is paid by desks of both instances.
	cash := func(i, round int) error {
		d := ds[i]
		inv := invoices[(i*rounds+round)%len(invoices)]
		p, err := d.c.RecordPayment(ctx, d.a, app.PaymentRequest{HouseholdID: "h-" + inv[2:6],
			Tenders:     []regie.Tender{{Mode: regie.Cash, Amount: 10}},
			Allocations: []regie.Allocation{{InvoiceID: inv, Amount: 10}}})
		if err != nil {
			return fmt.Errorf("desk %s: %w", d.code, err)
		}
		d.paid[inv] += 10
		d.ids = append(d.ids, p.ID)
		return nil
	}
	for i := range ds {
		for r := range rounds {
			if err := cash(i, r); err != nil {
				t.Fatal(err)
			}
		}
	}

	// Readers, until the pushes are done: a citizen on both instances in
	// turn, and Publik. A refused connection while instance 2 restarts is
	// expected; an answer other than 200 is not.
	done := make(chan struct{})
	var readers sync.WaitGroup
	var reads, down atomic.Int64
	var readErr atomic.Value
	citizen := w.citizen("fc-hlefevre", "K7Q101X")
	readers.Add(2)
	go func() {
		defer readers.Done()
		for n := 0; ; n++ {
			select {
			case <-done:
				return
			default:
			}
			resp, err := citizen.Get(bases[n%2] + "/paiements")
			if err != nil {
				down.Add(1)
				time.Sleep(20 * time.Millisecond)
				continue
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Mes paiements") {
				readErr.Store(fmt.Sprintf("portal on instance %d: %d", n%2+1, resp.StatusCode))
			}
			reads.Add(1)
		}
	}()
	go func() {
		defer readers.Done()
		for {
			select {
			case <-done:
				return
			default:
			}
			status, out := w.publik("GET", "/api/regie/enf/invoices/", "payer_external_id=F001001", "")
			if status != http.StatusOK || out["err"] != float64(0) {
				readErr.Store(fmt.Sprintf("publik: %d %v", status, out))
			}
			reads.Add(1)
		}
	}()

	// syncAll pushes every desk at once; a desk whose instance is down
	// tries again, as the client's loop does.
	syncAll := func(restartAfter int) {
		var wg sync.WaitGroup
		var finished atomic.Int64
		errs := make(chan error, desks)
		restarted := make(chan struct{})
		for _, d := range ds {
			wg.Add(1)
			go func() {
				defer wg.Done()
				deadline := time.Now().Add(60 * time.Second)
				for {
					err := d.sc.Sync(ctx)
					if err == nil {
						break
					}
					if time.Now().After(deadline) {
						errs <- fmt.Errorf("desk %s: %w", d.code, err)
						return
					}
					time.Sleep(50 * time.Millisecond)
				}
				if finished.Add(1) == int64(restartAfter) {
					close(restarted)
				}
			}()
		}
		if restartAfter > 0 {
			<-restarted
			in2.halt()
			in2.start()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	}
	syncAll(desks / 3)
	// After the restart, every desk cashes once more and pushes again.
	for i := range ds {
		if err := cash(i, rounds); err != nil {
			t.Fatal(err)
		}
	}
	syncAll(0)
	close(done)
	readers.Wait()
	if e := readErr.Load(); e != nil {
		t.Fatal(e)
	}
	t.Logf("%d reads during the pushes, %d refused while instance 2 restarted", reads.Load(), down.Load())

	st, err = store.Open(ctx, w.db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	reports, err := st.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reports {
		if !r.OK() {
			t.Errorf("%s", r)
		}
	}
	want := map[string]regie.Money{}
	var ids []string
	for _, d := range ds {
		for inv, m := range d.paid {
			want[inv] += m
		}
		ids = append(ids, d.ids...)
	}
	var stored, distinct int
	if err := st.QueryRow(`SELECT count(*), count(DISTINCT receipt) FROM payments`).Scan(&stored, &distinct); err != nil {
		t.Fatal(err)
	}
	if stored != len(ids) || distinct != len(ids) {
		t.Errorf("%d payments stored (%d receipts), the desks cashed %d", stored, distinct, len(ids))
	}
	for _, id := range ids {
		var n int
		if err := st.QueryRow(`SELECT count(*) FROM payments WHERE id = ?`, id).Scan(&n); err != nil || n != 1 {
			t.Fatalf("payment %s stored %d times (%v)", id, n, err)
		}
	}
	for _, inv := range appdemo.Reference().Invoices {
		var paid int64
		if err := st.QueryRow(`SELECT paid FROM invoices WHERE id = ?`, inv.ID).Scan(&paid); err != nil {
			t.Fatal(err)
		}
		if regie.Money(paid) != want[inv.ID] {
			t.Errorf("invoice %s: %d paid on the server, the desks cashed %d", inv.ID, paid, want[inv.ID])
		}
	}
	// And what Publik says is left to pay follows: the amount less what
	// every desk cashed.
	status, out := w.publik("GET", "/api/regie/enf/invoices/", "payer_external_id=F001001", "")
	if status != http.StatusOK {
		t.Fatalf("publik: %d %v", status, out)
	}
	for _, raw := range out["data"].([]any) {
		inv := raw.(map[string]any)
		for _, ref := range appdemo.Reference().Invoices {
			if ref.ID == inv["id"] {
				left := fmt.Sprint(inv["remaining_amount"])
				if exp := money(ref.Amount - want[ref.ID]); left != exp {
					t.Errorf("publik: invoice %s amount left %s, want %s", ref.ID, left, exp)
				}
			}
		}
	}
}

// money is an amount as Publik's JSON reads once decoded (a number of
// euros).
func money(m regie.Money) string { return fmt.Sprint(float64(m) / 100) }
