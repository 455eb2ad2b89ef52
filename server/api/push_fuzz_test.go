package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/api"
)

// FuzzPushPayment pushes a well-chained payment entry whose data is
// anything: the server either refuses it with a 4xx, or stores it and
// then regie-serveur verify's rules (store.Verify) find nothing wrong with
// anything stored. Never a 500, never a stored violation.
func FuzzPushPayment(f *testing.F) {
	b, _, _ := base(f)
	good := b.payment("P3", 12_50)
	seed := func(change func(p *regie.Payment)) {
		p := *good
		p.Tenders = append([]regie.Tender(nil), good.Tenders...)
		p.Allocations = append([]regie.Allocation(nil), good.Allocations...)
		change(&p)
		data, err := json.Marshal(&p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	seed(func(p *regie.Payment) {})
	seed(func(p *regie.Payment) { p.Tenders[0].Amount, p.Allocations[0].Amount, p.Total = -1, -1, -1 })
	seed(func(p *regie.Payment) { p.Receipt = `R-ENF-C01-2026-000003"` })
	seed(func(p *regie.Payment) { p.Allocations[0].InvoiceID = "I2" })
	seed(func(p *regie.Payment) { p.At = time.Date(2199, 1, 1, 0, 0, 0, 0, time.UTC); p.Day = "2199-01-01" })
	seed(func(p *regie.Payment) {
		p.Tenders = append(p.Tenders, regie.Tender{Mode: regie.Check, Amount: 1, CheckNumber: "1", Bank: "B", Drawer: "D"})
		p.Allocations[0].Amount++
		p.Total++
	})
	f.Add([]byte(`{"id":"P3","total":1e300}`))
	f.Add([]byte(`[]`))

	e := newEnv(f, api.Options{Now: func() time.Time { return day0.Add(72 * time.Hour) }})
	e.seedReference()
	if status, body := e.pushEntries("C01", b.entries); status != http.StatusOK {
		f.Fatalf("base refused: %d %+v", status, body)
	}
	prev, stored := b.prev, 0
	f.Cleanup(func() {
		if stored == 0 && !testing.Short() {
			f.Log("no fuzzed payment was stored")
		}
	})
	f.Fuzz(func(t *testing.T, data []byte) {
		e.t = t
		var head struct {
			ID    string    `json:"id"`
			Agent string    `json:"agent"`
			At    time.Time `json:"at"`
		}
		json.Unmarshal(data, &head)
		if head.ID == "" {
			head.ID = "F"
		}
		if head.At.IsZero() {
			head.At = day0.Add(time.Hour)
		}
		entry, err := regie.NewEntry(prev, "C01", regie.KindPayment, head.ID, head.Agent, head.At, json.RawMessage(data))
		if err != nil {
			return // not JSON: no entry to chain
		}
		status, body := e.pushEntries("C01", []regie.Entry{*entry})
		switch {
		case status == http.StatusOK:
			prev = entry
			stored++
		case status >= 400 && status < 500:
			return
		default:
			t.Fatalf("push answered %d %+v for %s", status, body, data)
		}
		reports, err := e.st.Verify(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range reports {
			if !r.OK() {
				t.Fatalf("stored %s, which verify reports:\n%s", data, r)
			}
		}
	})
}
