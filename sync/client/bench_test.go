package client_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/app/apptest"
	"github.com/regie-fr/regie/app/demo"
	appstore "github.com/regie-fr/regie/app/store"
	"github.com/regie-fr/regie/server/api"
	"github.com/regie-fr/regie/server/credential"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/server/store/storetest"
	"github.com/regie-fr/regie/sync/client"
	"github.com/regie-fr/regie/sync/protocol"
)

// backlog builds a counter file holding a till session and n payments (each
// a split tender on one invoice, as the demo's), written as the counter
// records them (apptest.Journal) straight through the store in one
// transaction: a week offline of a busy counter, made in
// seconds instead of the hours it would take at the counter.
func backlog(b *testing.B, n int) string {
	b.Helper()
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "C01.db")
	st, err := appstore.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	c := app.New(app.Adapt(st))
	if err := demo.Seed(ctx, c, demo.Options{PINCost: bcrypt.MinCost}); err != nil {
		b.Fatal(err)
	}
	at := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	err = st.Update(ctx, func(tx *appstore.Tx) error {
		prev, err := tx.LastEntry()
		if err != nil {
			return err
		}
		j := apptest.NewJournal("ENF", "C01", "a-0001")
		j.Float = 150_00
		j.Follow(prev)
		for i := range n {
			k := i % benchInvoices
			hh := 1 + k%6
			j.Pay(b, at.Add(time.Duration(i)*time.Millisecond), &regie.Payment{ID: fmt.Sprintf("p-%07d", i),
				HouseholdID: fmt.Sprintf("h-%04d", hh), Account: fmt.Sprintf("F%06d", 1000+hh), Payer: "Lefèvre Hélène",
				Tenders: []regie.Tender{{Mode: regie.Cash, Amount: 4_00, Tendered: 5_00, Change: 1_00}, {Mode: regie.Check, Amount: 1_00, CheckNumber: "0001234", Bank: "Crédit Agricole", Drawer: "Hélène Lefèvre"}},
				Allocations: []regie.Allocation{{InvoiceID: fmt.Sprintf("B%05d", k), InvoiceNumber: fmt.Sprintf("FAC-B%05d", k),
					Label: "Restauration scolaire – octobre 2026", Amount: 5_00}}})
		}
		for _, e := range j.Take() {
			obj, err := regie.DecodeEntry(&e)
			if err != nil {
				return err
			}
			if err := tx.Append(&e, obj); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkPushBacklog pushes a counter's backlog of 100 000 payments to a
// fresh server over loopback HTTP, through the sync client: reading the
// counter file, JSON both ways, the server's chain checks (regie.CheckLink),
// its inserts and the invoices' remaining amounts, one transaction and one
// fsync per batch of 1 000. Run with -benchtime 1x.
func BenchmarkPushBacklog(b *testing.B) {
	const n = 100_000
	path := backlog(b, n)
	ctx := context.Background()
	for range b.N {
		b.StopTimer()
		st, err := store.Open(ctx, storetest.DB(b, "serveur"))
		if err != nil {
			b.Fatal(err)
		}
		seedB(b, st)
		seedInvoices(b, st)
		cred := enrolDirect(b, st, "C01")
		srv := httptest.NewServer(api.New(st, api.Options{Logger: benchLog}))
		cst, err := appstore.Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		c := app.New(app.Adapt(cst))
		if err := c.SaveEnrolment(ctx, "", ""); err != nil { // forget any earlier run's server
			b.Fatal(err)
		}
		if err := c.SaveEnrolment(ctx, srv.URL, cred); err != nil {
			b.Fatal(err)
		}
		sc := client.New(c, client.Options{Logger: benchLog, Timeout: time.Minute})
		benchLog.Info("start")
		b.StartTimer()
		start := time.Now()
		if err := sc.Sync(ctx); err != nil {
			b.Fatal(err)
		}
		el := time.Since(start)
		b.StopTimer()
		b.ReportMetric(float64(n+5)/el.Seconds(), "entries/s")
		var got int
		st.QueryRow(`SELECT count(*) FROM payments`).Scan(&got)
		if got != n {
			b.Fatalf("server holds %d payments, want %d", got, n)
		}
		srv.Close()
		cst.Close()
		st.Close()
	}
}

// BenchmarkBareBatchInsert is the server database's bare rate on the same
// disk and DSN: 100 000 journal rows of the same size, 1 000 per
// transaction with a prepared statement, no check and no projection.
func BenchmarkBareBatchInsert(b *testing.B) {
	const n, batch = 100_000, 1000
	ctx := context.Background()
	data := `{"account":"F001001","agent":"a-0001","allocations":[{"amount":500,"invoice_id":"i-0001-1","invoice_number":"FAC-2026-00101","label":"Restauration scolaire – octobre 2026"}],"at":"2026-11-27T08:00:00.001Z","counter":"C01","day":"2026-11-27","household_id":"h-0001","id":"p-0000001","payer":"Lefèvre Hélène","receipt":"R-ENF-C01-2026-000001","regie":"ENF","session_id":"s-1","tenders":[{"amount":400,"change":100,"mode":"cash","tendered":500},{"amount":100,"bank":"Crédit Agricole","check_number":"0001234","drawer":"Hélène Lefèvre","mode":"check"}],"total":500}`
	for range b.N {
		b.StopTimer()
		st, err := store.Open(ctx, storetest.DB(b, "serveur"))
		if err != nil {
			b.Fatal(err)
		}
		seedB(b, st)
		enrolDirect(b, st, "C01")
		var counter int64
		if err := st.QueryRow(`SELECT id FROM counters WHERE code = 'C01'`).Scan(&counter); err != nil {
			b.Fatal(err)
		}
		db := st.DB()
		b.StartTimer()
		start := time.Now()
		for i := 0; i < n; i += batch {
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				b.Fatal(err)
			}
			stmt, err := tx.PrepareContext(ctx, bareInsert)
			if err != nil {
				b.Fatal(err)
			}
			for j := i; j < i+batch; j++ {
				if _, err := stmt.ExecContext(ctx, counter, j+1, fmt.Sprintf("p-%07d", j), data, regie.GenesisHash, regie.GenesisHash); err != nil {
					b.Fatal(err)
				}
			}
			stmt.Close()
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
		}
		el := time.Since(start)
		b.StopTimer()
		b.ReportMetric(float64(n)/el.Seconds(), "entries/s")
		st.Close()
	}
}

// bareInsert is the floor's statement, prepared on the database's own
// handle (the store's dialect rewrite is not on that path): the
// parameters numbered as PostgreSQL takes them, which SQLite takes too.
const bareInsert = `INSERT INTO journal (counter_id, seq, id, kind, at, agent, data, prev_hash, hash, received_at)
	VALUES ($1, $2, $3, 'payment', '2026-11-27T08:00:00.000Z', 'a-0001', $4, $5, $6, '2026-11-27T08:00:00.000Z')`

func seedB(b *testing.B, st *store.Store) { seed(b, st) }

// benchInvoices is how many invoices the backlog's payments are spread over,
// so that the server updates a different invoice for most payments of a
// batch, as in a real day.
const benchInvoices = 10_000

func seedInvoices(b *testing.B, st *store.Store) {
	err := st.Update(context.Background(), func(tx *store.Tx) error {
		for k := range benchInvoices {
			inv := regie.Invoice{ID: fmt.Sprintf("B%05d", k), Number: fmt.Sprintf("FAC-B%05d", k), HouseholdID: fmt.Sprintf("h-%04d", 1+k%6),
				Label: "Restauration scolaire – octobre 2026", Amount: 61_60, DueOn: "2026-12-05"}
			if err := tx.UpsertInvoice("ENF", &inv); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// enrolDirect creates a counter and its credential without the HTTP round.
func enrolDirect(b *testing.B, st *store.Store, code string) string {
	cred, enrol := credential.NewCredential(), credential.NewEnrolCode()
	err := st.Update(context.Background(), func(tx *store.Tx) error {
		if _, err := tx.CreateCounter(regie.Counter{Code: code, Regie: "ENF", Name: code}, credential.HashEnrolCode(enrol),
			time.Now().Add(time.Hour), time.Now()); err != nil {
			return err
		}
		_, err := tx.Enrol(credential.HashEnrolCode(enrol), credential.Hash(cred), time.Now())
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return cred
}

var benchLog = quiet
var benchPullLimit = 0 // the client's default

// BenchmarkPushServerOnly is BenchmarkPushBacklog without the counter's
// side: the request bodies are read and encoded beforehand, and posted one
// after the other over loopback. It is the server's own rate — decoding,
// chain checks, inserts, remaining amounts, one fsync per batch — as it is
// when the counters are other machines.
func BenchmarkPushServerOnly(b *testing.B) {
	const n = 100_000
	path := backlog(b, n)
	ctx := context.Background()
	cst, err := appstore.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	c := app.New(app.Adapt(cst))
	var bodies [][]byte
	for after := int64(0); ; {
		es, err := c.JournalSince(ctx, after, 1000)
		if err != nil {
			b.Fatal(err)
		}
		if len(es) == 0 {
			break
		}
		body, _ := protocol.MarshalPush("C01", es)
		bodies = append(bodies, body)
		after = es[len(es)-1].Seq
	}
	cst.Close()
	for range b.N {
		b.StopTimer()
		st, err := store.Open(ctx, storetest.DB(b, "serveur"))
		if err != nil {
			b.Fatal(err)
		}
		seedB(b, st)
		seedInvoices(b, st)
		cred := enrolDirect(b, st, "C01")
		srv := httptest.NewServer(api.New(st, api.Options{Logger: quiet}))
		b.StartTimer()
		start := time.Now()
		for _, body := range bodies {
			req, _ := http.NewRequest("POST", srv.URL+protocol.PathPush, bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+cred)
			resp, err := http.DefaultClient.Do(req)
			if err != nil || resp.StatusCode != 200 {
				b.Fatalf("push: %v %v", resp, err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		el := time.Since(start)
		b.StopTimer()
		b.ReportMetric(float64(n)/el.Seconds(), "entries/s")
		srv.Close()
		st.Close()
	}
}
