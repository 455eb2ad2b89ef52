package backoffice

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/app/apptest"
	"github.com/regie-fr/regie/app/demo"
	appstore "github.com/regie-fr/regie/app/store"
	"github.com/regie-fr/regie/printing"
	"github.com/regie-fr/regie/server/servertest"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/server/store/storetest"
)

// counterDay is a demo counter (real SQLite file) that recorded a day at
// the counter: payments in cash, cheque and card, one cancelled, a deposit,
// and the arrêté; then a second day with a payment, left open.
type counterDay struct {
	c       *app.Counter
	st      *appstore.Store
	closing *regie.Closing
	deposit *regie.Deposit
	clock   *apptest.Clock
}

const testDay = "2026-11-27"

func recordCounterDay(t *testing.T) *counterDay {
	t.Helper()
	ctx := context.Background()
	clk := apptest.NewClock(time.Date(2026, 11, 27, 9, 0, 0, 0, apptest.Paris))
	c, st := apptest.Counter(t, "", app.WithClock(clk.Now), app.WithLocation(apptest.Paris))
	reg := apptest.Login(t, c, demo.RegisseurLogin, demo.RegisseurPIN)
	agent := apptest.Login(t, c, demo.MandataireLogin, demo.MandatairePIN)
	apptest.Open(t, c, reg, 150_00)
	pay := func(a *app.Auth, req app.PaymentRequest) *regie.Payment {
		t.Helper()
		p, err := c.RecordPayment(ctx, a, req)
		if err != nil {
			t.Fatalf("payment: %v", err)
		}
		return p
	}
	pay(agent, app.PaymentRequest{HouseholdID: "h-0001", Payer: "Hélène Lefèvre",
		Tenders:     []regie.Tender{{Mode: regie.Cash, Amount: 61_60, Tendered: 70_00, Change: 8_40}},
		Allocations: []regie.Allocation{{InvoiceID: "i-0001-1", InvoiceNumber: "FAC-2026-00101", Amount: 61_60}}})
	pay(agent, app.PaymentRequest{HouseholdID: "h-0002", Payer: "Thomas Nguyen",
		Tenders:     []regie.Tender{{Mode: regie.Check, Amount: 32_00, CheckNumber: "0004521", Bank: "Crédit Mutuel", Drawer: "Thomas Nguyen"}},
		Allocations: []regie.Allocation{{InvoiceID: "i-0002-2", InvoiceNumber: "FAC-2026-00202", Amount: 32_00}}})
	wrong := pay(agent, app.PaymentRequest{Tenders: []regie.Tender{{Mode: regie.Cash, Amount: 38_00}},
		Allocations: []regie.Allocation{{ItemCode: "PISC-10", Amount: 38_00}}})
	pay(reg, app.PaymentRequest{Tenders: []regie.Tender{{Mode: regie.Card, Amount: 8_40, Authorisation: "A12345", MaskedPAN: "497010******1234"}},
		Allocations: []regie.Allocation{{ItemCode: "PISC-ENT", Quantity: 2, Amount: 8_40}}})
	if _, err := c.Cancel(ctx, agent, reg, wrong.ID, regie.CancelReasons[0], "Carte prise par erreur"); err != nil {
		t.Fatalf("cancel: %v", err)
	}
	dep, err := c.Deposit(ctx, reg, app.DepositRequest{Cash: 50_00, Count: regie.CashCount{{Value: 50_00, Count: 1}}, Reference: "V-2026-031"})
	if err != nil {
		t.Fatalf("deposit: %v", err)
	}
	// Counted 20 cents short of the expected 161,60 € (150 + 99,60 − 38 − 50).
	count := regie.CashCount{{Value: 100_00, Count: 1}, {Value: 50_00, Count: 1}, {Value: 10_00, Count: 1}, {Value: 1_00, Count: 1}, {Value: 20, Count: 2}}
	card := regie.Money(8_40)
	cl, err := c.Close(ctx, reg, app.ClosingRequest{Count: count, TerminalTotal: &card, Comment: "Pièces de 20 centimes manquantes"})
	if err != nil {
		t.Fatalf("close: %v", err)
	}
	return &counterDay{c: c, st: st, closing: cl, deposit: dep, clock: clk}
}

// counterZReport prints the Z report as the counter's printer does
// (cmd/regie-caisse documents.ZReport).
func (d *counterDay) counterZReport(t *testing.T) []byte {
	t.Helper()
	info, err := d.c.ClosingInfo(context.Background(), d.closing)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := printing.WriteZReportPDF(&b, info.ZReport()); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func (d *counterDay) entries(t *testing.T) []regie.Entry {
	t.Helper()
	var es []regie.Entry
	err := d.st.View(context.Background(), func(tx *appstore.Tx) (err error) {
		es, err = tx.Entries(1, 0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// pushTo creates the demo counter on the server, under the name the server
// gives it (the counter's own name comes from there), and pushes the
// journal through the checked push.
func (d *counterDay) pushTo(t *testing.T, st *store.Store) {
	t.Helper()
	err := st.Update(context.Background(), func(tx *store.Tx) error {
		_, err := tx.CreateCounter(demo.Counter(), "", time.Now().Add(time.Hour), time.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	servertest.Push(t, st, "ENF", "C01", d.entries(t), d.clock.Peek().Add(time.Minute))
}

func serverStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), storetest.DB(t, "serveur"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	servertest.Seed(t, st)
	return st
}

// TestZReportServerIsCounters: the arrêté rebuilt on the server from the
// journal it received is the counter's PDF, byte for byte; read back, it
// says what the day was; and a régie the visitor may not see gets nothing.
func TestZReportServerIsCounters(t *testing.T) {
	day := recordCounterDay(t)
	want := day.counterZReport(t)
	st := serverStore(t)
	day.pushTo(t, st)

	var got, other []byte
	err := st.View(context.Background(), func(tx *store.Tx) (err error) {
		if got, err = zReportPDF(tx, []string{"ENF"}, "ENF", "C01", testDay); err != nil {
			return err
		}
		other, err = zReportPDF(tx, []string{"PIS"}, "ENF", "C01", testDay)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("server Z report (%d bytes) differs from the counter's (%d bytes)", len(got), len(want))
	}
	if other != nil {
		t.Fatal("a visitor of another régie got the Z report")
	}
	// The settings change after the day (a new name, an agent renamed):
	// the arrêté still says what the journal said that day, at the counter
	// as on the server.
	ctx := context.Background()
	agents, err := day.c.Agents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := range agents {
		agents[i].Name += " (renommé)"
	}
	changed := demo.Regie()
	changed.Name, changed.Address = "Régie renommée", "Ailleurs"
	if err := day.c.Configure(ctx, demo.Counter(), changed, agents); err != nil {
		t.Fatal(err)
	}
	if again := day.counterZReport(t); !bytes.Equal(again, want) {
		t.Fatal("the counter's Z report changed with settings recorded after the closing")
	}
	text := pdfText(t, got)
	for _, s := range []string{"Arrêté de caisse (Z) du vendredi 27 novembre 2026", "Régie Enfance – Ville de Montaigu-sur-Loire",
		"Guichet : Accueil mairie – guichet 1", "Marie Dupont", "Sophie Bernard", "Pièces de 20 centimes manquantes",
		"161,60 €", "161,40 €", "-0,20 €", "déficit", "0004521", "Crédit Mutuel", "annulé", "R-ENF-C01-2026-000003",
		day.closing.Day[:4]} {
		if !strings.Contains(text, s) {
			t.Errorf("Z report text lacks %q", s)
		}
	}
	if t.Failed() {
		t.Log(text)
	}
}

// pdfText extracts a PDF's text with pdftotext (poppler-utils).
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
