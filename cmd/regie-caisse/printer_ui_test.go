package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/app/apptest"
	"github.com/regie-fr/regie/app/demo"
	"github.com/regie-fr/regie/app/ui"
)

// paidCounter is a demo counter with one payment recorded.
func paidCounter(t *testing.T) (*app.Counter, *app.Auth, *regie.Payment) {
	t.Helper()
	c, _ := apptest.Counter(t, "", app.WithLocation(time.UTC))
	a := apptest.Login(t, c, demo.RegisseurLogin, demo.RegisseurPIN)
	apptest.Open(t, c, a, 150_00)
	p, err := c.RecordPayment(context.Background(), a, app.PaymentRequest{HouseholdID: "h-0001",
		Tenders:     []regie.Tender{{Mode: regie.Cash, Amount: 61_60, Tendered: 70_00, Change: 8_40}},
		Allocations: []regie.Allocation{{InvoiceID: "i-0001-1", Amount: 61_60}}})
	if err != nil {
		t.Fatal(err)
	}
	return c, a, p
}

// pdfText extracts a PDF's text with pdftotext (poppler-utils), white
// space folded so that a wrapped line still matches.
func pdfText(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v (poppler-utils is installed by make deps)", path, err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// TestDocumentsSavedAsPDF: without a printer, the receipt, its duplicate
// and the Z report are saved as PDFs that say what they must.
func TestDocumentsSavedAsPDF(t *testing.T) {
	c, a, p := paidCounter(t)
	ctx := context.Background()
	dir := t.TempDir()
	d := newDocuments(c, &ui.Config{ServerURL: "https://regie.montaigu.fr"}, dir)
	where, err := d.Receipt(ctx, p, false)
	if err != nil || !strings.Contains(where, filepath.Join(dir, p.Receipt+".pdf")) {
		t.Fatalf("receipt: %q %v", where, err)
	}
	text := pdfText(t, filepath.Join(dir, p.Receipt+".pdf"))
	for _, want := range []string{p.Receipt, "Lefèvre Hélène", "F001001", "FAC-2026-00101", "61,60 €",
		"soixante et un euros et soixante centimes", "Marie Dupont", "https://regie.montaigu.fr/verifier?recu="} {
		if !strings.Contains(text, want) {
			t.Errorf("receipt PDF lacks %q:\n%s", want, text)
		}
	}
	if _, err := d.Receipt(ctx, p, true); err != nil {
		t.Fatal(err)
	}
	cl, err := c.Close(ctx, a, app.ClosingRequest{Count: regie.CashCount{{Value: 200_00, Count: 1}, {Value: 10_00, Count: 1}, {Value: 1_00, Count: 1}, {Value: 50, Count: 1}, {Value: 10, Count: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	where, err = d.ZReport(ctx, cl)
	if err != nil {
		t.Fatal(err)
	}
	z := pdfText(t, strings.TrimPrefix(where, "Arrêté enregistré : "))
	for _, want := range []string{"211,60 €", p.Receipt} {
		if !strings.Contains(z, want) {
			t.Errorf("Z report lacks %q:\n%s", want, z)
		}
	}
}

// TestReceiptOnThermalPrinter sends the receipt as ESC/POS to a network
// printer's raw port.
func TestReceiptOnThermalPrinter(t *testing.T) {
	c, _, p := paidCounter(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan []byte, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			got <- nil
			return
		}
		b, _ := io.ReadAll(conn)
		conn.Close()
		got <- b
	}()
	d := newDocuments(c, &ui.Config{Printer: "tcp:" + ln.Addr().String()}, t.TempDir())
	where, err := d.Receipt(context.Background(), p, false)
	if err != nil || !strings.Contains(where, "Reçu imprimé") {
		t.Fatalf("%q %v", where, err)
	}
	b := <-got
	if !bytes.HasPrefix(b, []byte{0x1B, '@'}) || !bytes.Contains(b, []byte(p.Receipt)) ||
		!bytes.Contains(b, []byte{0x1B, 'p', 0, 25, 250}) {
		t.Fatalf("ESC/POS job of %d bytes: %q", len(b), b)
	}
}

// TestDepositSlips: a deposit with a cheque gives the bordereau de
// versement and the bordereau de remise de chèques.
func TestDepositSlips(t *testing.T) {
	c, a, _ := paidCounter(t)
	ctx := context.Background()
	p, err := c.RecordPayment(ctx, a, app.PaymentRequest{HouseholdID: "h-0002",
		Tenders:     []regie.Tender{{Mode: regie.Check, Amount: 61_60, CheckNumber: "0007771", Bank: "La Banque Postale", Drawer: "Thomas Nguyen"}},
		Allocations: []regie.Allocation{{InvoiceID: "i-0002-1", Amount: 61_60}}})
	if err != nil {
		t.Fatal(err)
	}
	dep, err := c.Deposit(ctx, a, app.DepositRequest{Cash: 50_00, Reference: "VERS-2026-001",
		Checks: []app.CheckRef{{PaymentID: p.ID, Tender: 0}}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	where, err := newDocuments(c, &ui.Config{}, dir).DepositSlip(ctx, dep)
	if err != nil || !strings.Contains(where, "Bordereau de versement enregistré") || !strings.Contains(where, "remise de chèques") {
		t.Fatalf("%q %v", where, err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
	if len(files) != 2 {
		t.Fatalf("files %v", files)
	}
	var all string
	for _, f := range files {
		all += pdfText(t, f)
	}
	for _, want := range []string{"0007771", "La Banque Postale", "61,60 €", "50,00 €", "111,60 €", "Marie Dupont"} {
		if !strings.Contains(all, want) {
			t.Errorf("the bordereaux lack %q:\n%s", want, all)
		}
	}
}
