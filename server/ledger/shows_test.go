package ledger_test

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/printing"
	"github.com/regie-fr/regie/server/ledger"
)

// TestShowsWhereCounterPaymentsDo records a transfer entered in the
// back-office and an online payment: both are on the household's portal
// list with their mode and place, and each receipt prints with its
// reference and who recorded it — no code of their own, the projections
// of the push do it.
func TestShowsWhereCounterPaymentsDo(t *testing.T) {
	st := newStore(t)
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, paris)
	tr := ledger.Request{Regie: "ENF", Channel: regie.ChannelBackOffice, Source: ledger.SourceBank, Key: "NTRY-2026-12-03-0001",
		HouseholdID: "h-0001", Tenders: []regie.Tender{{Mode: regie.Transfer, Amount: 32_00, Reference: "VIR SEPA 8841"}},
		Allocations: []regie.Allocation{{InvoiceID: "i-0001-2", InvoiceNumber: "FAC-2026-00102", Label: "Périscolaire", Amount: 32_00}}}
	pt, _, err := record(t, st, tr, now)
	if err != nil {
		t.Fatal(err)
	}
	po, _, err := record(t, st, online("IDOP-77", 61_60), now.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	ps := st.Portal()
	list, err := ps.Payments(context.Background(), "h-0001", 2026)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, x := range list {
		got[x.Receipt] = string(x.Tenders[0].Mode) + "|" + x.CounterName
	}
	if got[pt.Receipt] != "transfer|Service de la régie (virements, prélèvements)" || got[po.Receipt] != "online|Paiements en ligne" {
		t.Fatalf("portal list: %v", got)
	}
	for _, c := range []struct {
		p    *regie.Payment
		want []string
	}{
		{pt, []string{pt.Receipt, "Virement", "VIR SEPA 8841", "Relevé bancaire", "32,00 €"}},
		{po, []string{po.Receipt, "Guichet : Paiements en ligne", "réf. IDOP-77", "PayFiP", "61,60 €"}},
	} {
		d, err := ps.Receipt(context.Background(), "h-0001", c.p.ID)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := printing.WriteReceiptPDF(&b, d, printing.PageA5); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", "-", "-")
		cmd.Stdin = &b
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		text := strings.Join(strings.Fields(string(out)), " ")
		for _, w := range c.want {
			if !strings.Contains(text, w) {
				t.Errorf("receipt %s lacks %q:\n%s", c.p.Receipt, w, text)
			}
		}
	}
	verifyClean(t, st)
}
