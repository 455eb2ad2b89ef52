package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/regie-fr/regie"
)

// TestCounterDay drives a whole day through the widgets: login, open the
// till, cash two invoices with 20 € cash and a cheque, reprint, cancel as
// régisseur, a catalogue sale, a closing 0,10 € short with its comment, and
// a payment refused on the sealed day.
func TestCounterDay(t *testing.T) {
	h := newHarness(t)
	u := h.u

	h.login("sbernard", "0000")
	shows(t, u.login.err, "Identifiant ou code incorrect")
	h.login("sbernard", "3456")
	if u.open == nil || u.open.total == nil {
		t.Fatal("the till opening screen did not come")
	}
	h.fill(u.open.total, "150")
	h.key(fyne.KeyReturn)
	if u.main == nil || u.main.tabs.SelectedIndex() != tabCashier {
		t.Fatal("the cashier screen did not come after opening")
	}
	c := u.main.cashier
	if h.w.Canvas().Focused() != c.search {
		t.Fatal("focus is not in the search box")
	}

	// Two invoices of the Lefèvre household: 20 € cash, the rest by cheque.
	test.Type(c.search, "lefe")
	if len(c.found) != 1 || c.found[0].Name != "Lefèvre Hélène" {
		t.Fatalf("search found %+v", c.found)
	}
	h.key(fyne.KeyReturn)
	if len(c.invoices) != 3 {
		t.Fatalf("%d open invoices shown", len(c.invoices))
	}
	test.Tap(c.invoices[0].check)
	test.Tap(c.invoices[1].check)
	if got := c.due.Text; got != "À régler : 93,60\u00a0€" {
		t.Fatalf("due %q", got)
	}
	h.key(fyne.KeyF1)
	cash := c.tenders[0]
	h.fill(cash.amount, "20,00")
	h.fill(cash.tendered, "20")
	h.key(fyne.KeyF2)
	cheque := c.tenders[1]
	if cheque.amount.Text != "73,60" || h.w.Canvas().Focused() != cheque.number {
		t.Fatalf("cheque amount %q, focus %v", cheque.amount.Text, h.w.Canvas().Focused())
	}
	test.Type(cheque.number, "0004512")
	h.fill(cheque.bank, "Crédit Mutuel")
	h.fill(cheque.drawer, "Hélène Lefèvre")
	h.key(fyne.KeyReturn)
	if got := c.receipt.number.Text; got != "R-ENF-C01-2026-000001" || !c.receipt.box.Visible() {
		t.Fatalf("receipt number on screen %q", got)
	}
	first, _, err := h.svc.Payment(u.ctx, mustPaymentID(t, h, "R-ENF-C01-2026-000001"))
	if err != nil || first.Total != 93_60 || len(first.Tenders) != 2 || first.Tenders[1].CheckNumber != "0004512" {
		t.Fatalf("stored payment %+v %v", first, err)
	}

	test.Tap(c.receipt.reprint)
	shows(t, c.receipt.msg, "Duplicata du reçu R-ENF-C01-2026-000001")
	if !journalHas(t, h, regie.KindReprint, "R-ENF-C01-2026-000001") {
		t.Fatal("reprint not journaled")
	}

	// The régisseur cancels it from the journal.
	test.Tap(u.main.logout)
	h.login("mdupont", "1234")
	h.key(fyne.KeyF9)
	j := u.main.journal
	row := -1
	for i, l := range j.shown {
		if l.Kind == regie.KindPayment && l.Receipt == "R-ENF-C01-2026-000001" {
			row = i
		}
	}
	if row < 0 {
		t.Fatalf("payment not in the journal: %+v", j.shown)
	}
	j.list.Select(row)
	if j.detail.approver.Visible() {
		t.Fatal("a régisseur is asked for an approver")
	}
	test.Tap(j.detail.cancel)
	shows(t, j.detail.msg, "Choisissez le motif")
	j.detail.reason.SetSelected(regie.CancelReasons[1])
	test.Tap(j.detail.cancel)
	shows(t, j.detail.msg, "Paiement R-ENF-C01-2026-000001 annulé")
	if !strings.Contains(j.detail.text.Text, "ANNULÉ") {
		t.Fatalf("detail after cancel: %s", j.detail.text.Text)
	}

	// A walk-in buys two pool tickets.
	h.key(fyne.KeyF8)
	c = u.main.cashier // the régisseur's session has its own screens
	h.key(fyne.KeyF7)
	if !c.catalogueOn || len(c.catalogue.items) == 0 {
		t.Fatalf("F7 did not open the catalogue (tab %d, focus %T, on %v, %d items, %q)", u.main.tabs.SelectedIndex(),
			h.w.Canvas().Focused(), c.catalogueOn, len(c.catalogue.items), c.catalogue.err.Text)
	}
	item := -1
	for i, it := range c.catalogue.items {
		if it.Code == "PISC-ENT" {
			item = i
		}
	}
	h.fill(c.catalogue.qty[item], "2")
	h.key(fyne.KeyF1)
	h.key(fyne.KeyReturn)
	if got := c.receipt.number.Text; got != "R-ENF-C01-2026-000002" {
		t.Fatalf("catalogue receipt %q (%s %s)", got, c.err.Text, c.tenderErr.Text)
	}

	// Closing: 158,40 € expected, 158,30 € counted.
	h.key(fyne.KeyF10)
	cl := u.main.closing
	counts := map[regie.Money]string{100_00: "1", 50_00: "1", 5_00: "1", 2_00: "1", 1_00: "1", 20: "1", 10: "1"}
	for i, d := range regie.Denominations {
		if n, ok := counts[d]; ok {
			h.fill(cl.grid.entries[i], n)
		}
	}
	if !strings.Contains(cl.summary.Text, "Espèces attendues : 158,40") || !strings.Contains(cl.diff.Text, "Déficit de 0,10") {
		t.Fatalf("closing shows %q / %q", cl.summary.Text, cl.diff.Text)
	}
	test.Tap(cl.confirm)
	shows(t, cl.msg, "un commentaire est obligatoire")
	h.fill(cl.comment, "Pièce de 10 centimes rendue en trop")
	h.key(fyne.KeyReturn)
	shows(t, cl.msg, "Journée du 27/11/2026 clôturée")

	// The day is sealed: the next payment is refused, in French, on screen.
	h.key(fyne.KeyF8)
	test.Type(c.search, "nguyen")
	h.key(fyne.KeyReturn)
	test.Tap(c.invoices[0].check)
	h.key(fyne.KeyF1)
	h.key(fyne.KeyReturn)
	shows(t, c.err, "La journée du 27/11/2026 est clôturée : plus aucun encaissement n'est possible aujourd'hui.")
	if !strings.Contains(u.status.till.Text, "Journée clôturée") {
		t.Fatalf("status bar says %q", u.status.till.Text)
	}
}

func mustPaymentID(t *testing.T, h *harness, receipt string) string {
	t.Helper()
	lines, err := h.svc.DayLines(h.u.ctx, "2026-11-27")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lines {
		if l.Kind == regie.KindPayment && l.Receipt == receipt {
			return l.PaymentID
		}
	}
	t.Fatalf("receipt %s not in the journal", receipt)
	return ""
}

func journalHas(t *testing.T, h *harness, kind regie.EntryKind, receipt string) bool {
	t.Helper()
	lines, err := h.svc.DayLines(h.u.ctx, "2026-11-27")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lines {
		if l.Kind == kind && l.Receipt == receipt {
			return true
		}
	}
	return false
}
