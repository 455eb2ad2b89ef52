package store

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app/apptest"
)

// TestPaymentDetail: a payment with its tenders and allocations as the
// journal holds them, its place in the chain, its cancellation and its
// reprints; refused as not found outside the caller's régies.
func TestPaymentDetail(t *testing.T) {
	w := searchSample(t)
	ctx := context.Background()
	d, err := w.st.PaymentDetail(ctx, []string{"ENF"}, "E1")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(d.Payment.Tenders, w.paid["E1"].Tenders) || !reflect.DeepEqual(d.Payment.Allocations, w.paid["E1"].Allocations) ||
		d.Payment.Receipt != w.paid["E1"].Receipt || d.HouseholdName != "Famille Lefèvre" || d.AgentName != "Agent Régie Enfance" ||
		d.CounterName != "Guichet C01" || d.RegieName != "Régie Enfance" || d.Cancellation != nil {
		t.Fatalf("detail %+v", d)
	}
	var seq int64
	var hash, prev string
	if err := w.st.QueryRow(`SELECT seq, hash, prev_hash FROM journal WHERE id = 'E1'`).Scan(&seq, &hash, &prev); err != nil {
		t.Fatal(err)
	}
	if d.Chain.Counter != "C01" || d.Chain.Seq != seq || d.Chain.Hash != hash || d.Chain.PrevHash != prev || d.Chain.ReceivedAt.IsZero() {
		t.Fatalf("chain %+v", d.Chain)
	}
	if len(d.Reprints) != 1 || d.Reprints[0].Agent != "ag-ENF" || d.Reprints[0].Chain.Seq <= seq || d.Reprints[0].AgentName != "Agent Régie Enfance" {
		t.Fatalf("reprints %+v", d.Reprints)
	}

	c, err := w.st.PaymentDetail(ctx, []string{"PIS", "ENF"}, "E4")
	if err != nil {
		t.Fatal(err)
	}
	if c.Cancellation == nil || c.Cancellation.Reason != "Erreur de saisie du montant" || c.Cancellation.ApprovedByName != "Agent Régie Enfance" ||
		c.Cancellation.Chain.Seq <= c.Chain.Seq || len(c.Reprints) != 0 {
		t.Fatalf("cancelled %+v", c.Cancellation)
	}

	for _, x := range []struct {
		scope []string
		id    string
	}{{[]string{"ENF"}, "P1"}, {[]string{}, "E1"}, {nil, "E1"}, {[]string{"ENF", "PIS"}, "nope"}, {[]string{"PIS"}, "E1-dup"}} {
		_, err := w.st.PaymentDetail(ctx, x.scope, x.id)
		var re *regie.Error
		if !errors.As(err, &re) || re.Code != regie.EPaymentNotFound {
			t.Errorf("%v %s: %v", x.scope, x.id, err)
		}
	}
}

// TestExportPayments: every matching payment, not a page, in French for a
// spreadsheet, within the scope only.
func TestExportPayments(t *testing.T) {
	w := searchSample(t)
	var buf bytes.Buffer
	n, err := w.st.ExportPayments(context.Background(), []string{"ENF", "PIS"}, PaymentFilter{Amount: money(12_50)}, &buf)
	if err != nil || n != 3 {
		t.Fatal(n, err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\ufeffDate;Heure;Journée;Reçu;")) {
		t.Fatalf("start %q", buf.String()[:40])
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\ufeff")))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil || len(recs) != 4 {
		t.Fatal(recs, err)
	}
	e1 := recs[3]
	at := w.paid["E1"].At.In(apptest.Paris)
	want := []string{at.Format("02/01/2006"), at.Format("15:04:05"), "27/11/2026", w.paid["E1"].Receipt, "ENF", "C01",
		"Agent Régie Enfance", "Famille Lefèvre", "F001", "", "Espèces + Chèque", "12,50", "FAC-1", "non", "", "E1"}
	if !reflect.DeepEqual(e1, want) {
		t.Fatalf("row\n%q\nwant\n%q", e1, want)
	}
	if recs[1][11] != "12,50" || recs[1][13] != "oui" || recs[1][14] != "Erreur de saisie du montant" {
		t.Fatalf("cancelled row %q", recs[1])
	}

	buf.Reset()
	if n, err := w.st.ExportPayments(context.Background(), []string{"PIS"}, PaymentFilter{}, &buf); err != nil || n != 2 {
		t.Fatal(n, err)
	}
	if strings.Contains(buf.String(), "ENF") || !strings.Contains(buf.String(), `;"'=HYPERLINK(""x"")";`) {
		t.Fatalf("PIS export:\n%s", buf.String())
	}
	buf.Reset()
	if n, err := w.st.ExportPayments(context.Background(), nil, PaymentFilter{}, &buf); err != nil || n != 0 {
		t.Fatal(n, err)
	}
}

// TestExportPaysAllPages: an export larger than its reading page has
// every row once.
func TestExportPaysAllPages(t *testing.T) {
	w := newSearchWorld(t)
	var es []regie.Entry
	j := w.journals["P01"]
	for i := 0; i < exportPage+7; i++ {
		j.Pay(t, w.at.Add(time.Duration(i)*time.Second), &regie.Payment{Tenders: []regie.Tender{cash(1_00)}, Allocations: []regie.Allocation{ticket(1_00)}})
	}
	es = j.Take()
	w.at = w.at.Add(time.Hour)
	w.pushEntries("P01", es)
	var buf bytes.Buffer
	n, err := w.st.ExportPayments(context.Background(), []string{"PIS"}, PaymentFilter{}, &buf)
	if err != nil || n != exportPage+7 {
		t.Fatal(n, err)
	}
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n")[1:] {
		f := strings.Split(line, ";")
		if seen[f[len(f)-1]] {
			t.Fatalf("twice: %s", line)
		}
		seen[f[len(f)-1]] = true
	}
	if len(seen) != exportPage+7 {
		t.Fatal(len(seen))
	}
}
