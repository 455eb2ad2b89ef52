package portal_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app/apptest"
	"github.com/regie-fr/regie/server/auth"
	"github.com/regie-fr/regie/server/credential"
	"github.com/regie-fr/regie/server/portal"
	"github.com/regie-fr/regie/server/servertest"
	"github.com/regie-fr/regie/server/store"
)

// benchBackground is the number of other households' payments in the
// database (REGIE_BENCH_PAYMENTS, default 50 000; the figures in
// docs/performance.md use 1 000 000).
func benchBackground() int {
	if n, err := strconv.Atoi(os.Getenv("REGIE_BENCH_PAYMENTS")); err == nil && n > 0 {
		return n
	}
	return 50_000
}

// benchNow is the server's clock while the benchmark's year is pushed:
// after its last payment, whatever the day the benchmark runs.
var benchNow = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)

// fillBench adds household "hb" (code BENCH01, invoice FAC-B-1) with 200
// payments in 2026 at counter C03, and n payments of 5 000 other
// households at counter C04, written as the counters record them (a till
// opened each day, receipt numbers in order) and pushed in batches of
// 5 000 through the server's checked push.
func fillBench(tb testing.TB, st *store.Store, n int) {
	ctx := context.Background()
	err := st.Update(ctx, func(tx *store.Tx) error {
		for _, c := range []string{"C03", "C04"} {
			if _, err := tx.CreateCounter(regie.Counter{Code: c, Regie: "ENF", Name: "Guichet " + c}, credential.HashEnrolCode(c+"-x"),
				time.Now().Add(time.Hour), time.Now()); err != nil {
				return err
			}
		}
		if err := tx.UpsertHousehold(&regie.Household{ID: "hb", Account: "FB0001", Name: "Foyer Banc", AccessCode: "BENCH01",
			Members: []regie.Member{{FirstName: helene.GivenName, LastName: helene.FamilyName, BirthDate: helene.BirthDate, Holder: true}}}); err != nil {
			return err
		}
		for i := range 5000 {
			if err := tx.UpsertHousehold(&regie.Household{ID: fmt.Sprintf("bg-%04d", i), Account: fmt.Sprintf("FG%04d", i),
				Name: fmt.Sprintf("Foyer %04d", i)}); err != nil {
				return err
			}
		}
		if err := tx.SaveItem("ENF", &regie.CatalogueItem{Code: "PISC", Label: "Entrée piscine", Price: 3_50, Active: true}); err != nil {
			return err
		}
		return tx.UpsertInvoice("ENF", &regie.Invoice{ID: "ib", Number: "FAC-B-1", HouseholdID: "hb", Label: "Cantine", Amount: 1_000_000_00,
			IssuedOn: "2026-01-01", DueOn: "2026-12-31"})
	})
	if err != nil {
		tb.Fatal(err)
	}
	start := time.Date(2026, 1, 2, 8, 0, 0, 0, time.UTC)
	gen := func(counter string, count int, household func(i int) string) {
		j := apptest.NewJournal("ENF", counter, "a-1")
		for i := 0; i < count; i++ {
			at := start.Add(time.Duration(i) * (360 * 24 * time.Hour / time.Duration(count)))
			h := household(i)
			alloc := regie.Allocation{ItemCode: "PISC", Label: "Entrée piscine", Quantity: 1, Amount: 3_50}
			if h == "hb" {
				alloc = regie.Allocation{InvoiceID: "ib", InvoiceNumber: "FAC-B-1", Label: "Cantine", Amount: 3_50}
			}
			j.Pay(tb, at, &regie.Payment{ID: fmt.Sprintf("%s-%07d", counter, i), HouseholdID: h,
				Tenders: []regie.Tender{{Mode: regie.Cash, Amount: 3_50, Tendered: 3_50}}, Allocations: []regie.Allocation{alloc}})
			if (i+1)%5000 == 0 {
				servertest.Push(tb, st, "ENF", counter, j.Take(), benchNow)
			}
		}
		if es := j.Take(); len(es) > 0 {
			servertest.Push(tb, st, "ENF", counter, es, benchNow)
		}
	}
	gen("C03", 200, func(int) string { return "hb" })
	gen("C04", n, func(i int) string { return fmt.Sprintf("bg-%04d", i%5000) })
}

// BenchmarkPortalPayments measures Mes paiements for a household with 200
// payments among many: the store's query alone, for that household and for
// each of the others in turn, then the whole page over loopback HTTP with
// a logged-in session. The database is the run's (storetest: SQLite, or
// PostgreSQL when REGIE_TEST_POSTGRES is set).
func BenchmarkPortalPayments(b *testing.B) {
	e := newEnv(b, nil)
	n := benchBackground()
	t0 := time.Now()
	fillBench(b, e.f.st, n)
	b.Logf("%d background payments written in %s", n, time.Since(t0).Round(time.Millisecond))
	ps := e.f.st.Portal()
	b.Run("store", func(b *testing.B) {
		for b.Loop() {
			list, err := ps.Payments(context.Background(), "hb", 2026)
			if err != nil || len(list) != 200 {
				b.Fatalf("%d payments, %v", len(list), err)
			}
		}
	})
	// The mix a city's portal sees: each query for another of the 5 000
	// background households (n/5 000 payments each), so no answer is
	// read twice in a row from the database's caches.
	b.Run("store-households", func(b *testing.B) {
		i := 0
		for b.Loop() {
			h := fmt.Sprintf("bg-%04d", i%5000)
			i += 7 // coprime with 5 000: every household in turn, not in storage order
			if list, err := ps.Payments(context.Background(), h, 2026); err != nil || len(list) == 0 {
				b.Fatalf("%s: %d payments, %v", h, len(list), err)
			}
		}
	})
	br := e.browser()
	br.linkHousehold(helene, "BENCH01")
	page := func(b *testing.B) {
		for b.Loop() {
			if r := br.get("/paiements"); r.StatusCode != http.StatusOK || strings.Count(r.body, "<tr") != 201 {
				b.Fatalf("%d", r.StatusCode)
			}
		}
	}
	b.Run("page", page)
	// The floor of the sessions' cost: the same page with the session in
	// this process's memory instead of the database.
	e.reconfigure(func(c *portal.Config) { c.Sessions = auth.NewMemorySessions(0) })
	br = e.browser()
	br.linkHousehold(helene, "BENCH01")
	b.Run("page-memory-sessions", page)
	e.reconfigure(func(c *portal.Config) { c.Sessions, c.PaymentsCacheBytes = e.f.st.PortalSessions(), -1 })
	br = e.browser()
	br.linkHousehold(helene, "BENCH01")
	b.Run("page-uncached", page)
}

// TestPortalLoad reports pages per second and latency percentiles of Mes
// paiements under 8 concurrent clients, beside a bare net/http handler
// serving a page of the same size, on the same loopback. It runs only when
// REGIE_LOAD is set (make bench).
func TestPortalLoad(t *testing.T) {
	if os.Getenv("REGIE_LOAD") == "" {
		t.Skip("set REGIE_LOAD=1 to measure")
	}
	e := newEnv(t, nil)
	t0 := time.Now()
	fillBench(t, e.f.st, benchBackground())
	t.Logf("%d background payments written in %s", benchBackground(), time.Since(t0).Round(time.Millisecond))
	br := e.browser()
	br.linkHousehold(helene, "BENCH01")
	page := br.get("/paiements")
	bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(page.body))
	}))
	defer bare.Close()
	report := func(name, url string, c *http.Client) {
		rate, p50, p99 := load(t, c, url, 8, 5*time.Second)
		t.Logf("%-24s %6.0f pages/s  p50 %5.2f ms  p99 %5.2f ms  (%d KB a page)", name, rate,
			float64(p50.Microseconds())/1000, float64(p99.Microseconds())/1000, len(page.body)/1024)
	}
	report("bare net/http", bare.URL+"/", br.c)
	report("Mes paiements", e.srv.URL+"/paiements", br.c)
	// The same page with no rendered table kept: every request reads the
	// store and renders the 200 rows, as the first visit of each version.
	e.reconfigure(func(c *portal.Config) { c.PaymentsCacheBytes = -1 })
	br = e.browser()
	br.linkHousehold(helene, "BENCH01")
	report("Mes paiements, uncached", e.srv.URL+"/paiements", br.c)
}

// load sends GETs from conc goroutines for d and returns the rate and the
// 50th and 99th percentile latencies.
func load(t *testing.T, c *http.Client, url string, conc int, d time.Duration) (float64, time.Duration, time.Duration) {
	var mu sync.Mutex
	var lat []time.Duration
	var wg sync.WaitGroup
	end := time.Now().Add(d)
	tr := &http.Transport{MaxIdleConnsPerHost: conc}
	client := &http.Client{Jar: c.Jar, Transport: tr}
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			buf := make([]byte, 64<<10)
			for time.Now().Before(end) {
				t0 := time.Now()
				resp, err := client.Get(url)
				if err != nil {
					t.Error(err)
					return
				}
				for {
					if _, err := resp.Body.Read(buf); err != nil {
						break
					}
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Errorf("status %d", resp.StatusCode)
					return
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	slices.Sort(lat)
	if len(lat) == 0 {
		t.Fatal("no request")
	}
	return float64(len(lat)) / d.Seconds(), lat[len(lat)/2], lat[len(lat)*99/100]
}
