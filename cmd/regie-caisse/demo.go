package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/app/demo"
	"github.com/regie-fr/regie/app/store"
)

// demoDay seeds a demo counter file and runs a short day through the
// counter's use cases: what the desktop app will do through its screens.
func demoDay(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", filepath.Join(os.TempDir(), "regie-demo", "caisse.db"), "fichier de caisse de démonstration")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := os.MkdirAll(filepath.Dir(*db), 0o755); err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(*db + suffix) // a fresh demo each time
	}
	if err := runDemo(ctx, *db, stdout); err != nil {
		fmt.Fprintf(stderr, "Démonstration interrompue : %s\n(%v)\n", regie.ErrorMessage(err), err)
		return 1
	}
	return verify(ctx, []string{*db}, stdout, stderr)
}

func runDemo(ctx context.Context, db string, out io.Writer) error {
	st, err := store.Open(ctx, db)
	if err != nil {
		return err
	}
	defer st.Close()
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return err
	}
	c := app.New(app.Adapt(st), app.WithLocation(loc))
	if err := demo.Seed(ctx, c, demo.Options{}); err != nil {
		return err
	}
	agent, err := c.Login(ctx, demo.MandataireLogin, demo.MandatairePIN)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Connectée : %s (%s)\n", agent.Agent().Name, agent.Agent().Role.Label())
	if _, err := c.OpenSession(ctx, agent, regie.CashCount{{Value: 50_00, Count: 2}, {Value: 20_00, Count: 2}, {Value: 10_00, Count: 1}}, 0); err != nil {
		return err
	}
	fmt.Fprintln(out, "Caisse ouverte avec un fonds de 150,00 €.")
	found, err := c.Search(ctx, "lefevre")
	if err != nil || len(found) == 0 {
		return fmt.Errorf("demo search: %v", err)
	}
	invoices, err := c.OpenInvoices(ctx, found[0].ID)
	if err != nil {
		return err
	}
	p, err := c.RecordPayment(ctx, agent, app.PaymentRequest{
		HouseholdID: found[0].ID,
		Tenders: []regie.Tender{
			{Mode: regie.Cash, Amount: 20_00, Tendered: 20_00},
			{Mode: regie.Check, Amount: invoices[0].Remaining + invoices[1].Remaining - 20_00,
				CheckNumber: "0004512", Bank: "Crédit Mutuel", Drawer: found[0].Name},
		},
		Allocations: []regie.Allocation{
			{InvoiceID: invoices[0].ID, Amount: invoices[0].Remaining},
			{InvoiceID: invoices[1].ID, Amount: invoices[1].Remaining},
		},
	})
	if err != nil {
		return err
	}
	printPayment(out, p)
	p, err = c.RecordPayment(ctx, agent, app.PaymentRequest{
		Tenders:     []regie.Tender{{Mode: regie.Cash, Amount: 8_40, Tendered: 10_00, Change: 1_60}},
		Allocations: []regie.Allocation{{ItemCode: "PISC-ENT", Quantity: 2, Amount: 8_40}},
	})
	if err != nil {
		return err
	}
	printPayment(out, p)
	reg, err := c.Login(ctx, demo.RegisseurLogin, demo.RegisseurPIN)
	if err != nil {
		return err
	}
	pre, err := c.PrepareClosing(ctx, app.ClosingRequest{})
	if err != nil {
		return err
	}
	cl, err := c.Close(ctx, reg, app.ClosingRequest{Count: regie.CashCount{{Value: 100_00, Count: 1}, {Value: 50_00, Count: 1},
		{Value: 20_00, Count: 1}, {Value: 5_00, Count: 1}, {Value: 2_00, Count: 1}, {Value: 1_00, Count: 1}, {Value: 20, Count: 2}}})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Clôture du %s par %s : espèces attendues %s, comptées %s, écart %s.\n",
		frenchDay(cl.Day), reg.Agent().Name, pre.ExpectedCash, cl.CountedCash, cl.Difference)
	for _, m := range regie.Modes {
		if v, ok := cl.Totals[m]; ok {
			fmt.Fprintf(out, "  %-20s %12s\n", m.Label(), v)
		}
	}
	return nil
}

func printPayment(out io.Writer, p *regie.Payment) {
	payer := p.Payer
	if payer == "" {
		payer = "usager anonyme"
	}
	fmt.Fprintf(out, "Reçu %s — %s — %s (%s)\n", p.Receipt, payer, p.Total, p.Total.Words())
}

// frenchDay writes a YYYY-MM-DD day as 27/11/2026.
func frenchDay(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.Format("02/01/2006")
}
