package printing

import (
	"fmt"
	"time"

	"github.com/regie-fr/regie"
)

// The sample data every test and render uses: the demo régie of the README.

var paris = func() *time.Location {
	l, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return l
}()

func sampleIssuer() Issuer {
	return Issuer{
		Regie: regie.Regie{Code: "ENF", Name: "Régie Enfance – Ville de Montaigu-sur-Loire",
			Address:  "Hôtel de ville, 1 place de la République, 49000 Montaigu-sur-Loire",
			Timezone: "Europe/Paris"},
		Counter: "Accueil mairie – guichet 1",
	}
}

// at is a time on 27 November 2026, Paris time.
func at(h, m int) time.Time { return time.Date(2026, 11, 27, h, m, 0, 0, paris).UTC() }

const sampleHash = "3f2a9c1d0b7e55aa81c4e2d96b0f3a7c5e1d2b3c4a5f6e7d8c9b0a1f2e3d4c5b"

// sampleReceipt is a payment of two invoices, by cash with change and a
// cheque, for the Lefèvre household.
func sampleReceipt() *ReceiptData {
	p := &regie.Payment{
		ID: "0193a1c2-0000-7000-8000-000000000042", Receipt: "R-ENF-C01-2026-000042",
		Regie: "ENF", Counter: "C01", Agent: "a-0003", At: at(10, 42), Day: "2026-11-27",
		HouseholdID: "h-0001", Account: "F001001", Payer: "Lefèvre Hélène",
		Tenders: []regie.Tender{
			{Mode: regie.Cash, Amount: 50_00, Tendered: 60_00, Change: 10_00},
			{Mode: regie.Check, Amount: 43_60, CheckNumber: "1234567", Bank: "Crédit Agricole Anjou", Drawer: "Hélène Lefèvre"},
		},
		Allocations: []regie.Allocation{
			{InvoiceID: "i-0001-1", InvoiceNumber: "FAC-2026-00101", Label: "Restauration scolaire – octobre 2026", Amount: 61_60},
			{InvoiceID: "i-0001-2", InvoiceNumber: "FAC-2026-00102", Label: "Accueil périscolaire – octobre 2026", Amount: 32_00},
		},
		Total: 93_60,
	}
	return &ReceiptData{
		Issuer: sampleIssuer(), Agent: "Sophie Bernard", Payment: p,
		Household: "Lefèvre Hélène", Account: "F001001",
		Remaining: map[string]regie.Money{"i-0001-1": 0, "i-0001-2": 0},
		Hash:      sampleHash,
		VerifyURL: "https://portail.montaigu-sur-loire.fr/recu/R-ENF-C01-2026-000042?h=3f2a9c1d0b7e55aa",
	}
}

// sampleCardReceipt is a catalogue sale by card, with a credit line.
func sampleCardReceipt(total regie.Money) *ReceiptData {
	d := sampleReceipt()
	d.Payment = &regie.Payment{
		ID: "0193a1c2-0000-7000-8000-000000000043", Receipt: "R-ENF-C01-2026-000043",
		Regie: "ENF", Counter: "C01", Agent: "a-0003", At: at(11, 5), Day: "2026-11-27",
		Tenders: []regie.Tender{{Mode: regie.Card, Amount: total, Authorisation: "A12345",
			MaskedPAN: "497010******1234"}},
		Allocations: []regie.Allocation{{ItemCode: "PISC-10", Quantity: 1, Label: "Piscine – carte 10 entrées", Amount: total}},
		Total:       total,
	}
	d.Household, d.Account = "", ""
	d.VerifyURL = "https://portail.montaigu-sur-loire.fr/recu/R-ENF-C01-2026-000043"
	return d
}

// sampleClosing is a day with cash, cheques and cards, a small déficit and
// a terminal total that disagrees by 2 €.
func sampleClosing(checks int) *regie.Closing {
	terminal := regie.Money(412_40)
	c := &regie.Closing{
		ID: "0193a1c2-0000-7000-8000-0000000000c1", Counter: "C01", Day: "2026-11-27", Agent: "a-0001",
		At: at(17, 45), Sessions: []string{"s-1"},
		Count: regie.CashCount{{Value: 50_00, Count: 5}, {Value: 20_00, Count: 10}, {Value: 10_00, Count: 8},
			{Value: 5_00, Count: 5}, {Value: 2_00, Count: 10}, {Value: 1_00, Count: 9}, {Value: 50, Count: 5},
			{Value: 20, Count: 7}, {Value: 10, Count: 5}, {Value: 5, Count: 2}, {Value: 2, Count: 3}, {Value: 1, Count: 4}},
		Float: 150_00, Comment: "Erreur de rendu de monnaie probable (pièce de 1 € manquante).",
		Totals:        regie.ModeTotals{regie.Cash: 448_00, regie.Card: 414_40, regie.HolidayCheck: 60_00},
		GrandTotals:   regie.ModeTotals{regie.Cash: 18_448_00, regie.Check: 9_320_50, regie.Card: 22_414_40, regie.HolidayCheck: 1_260_00},
		TerminalTotal: &terminal, Payments: 37, Cancellations: 1,
		FirstReceipt: "R-ENF-C01-2026-000031", LastReceipt: "R-ENF-C01-2026-000067",
	}
	banks := []string{"Crédit Mutuel de Loire-Atlantique", "La Banque Postale", "Crédit Agricole Anjou Maine", "CIC Ouest"}
	drawers := []string{"Françoise Moreau-Cœurdevey", "Thomas Nguyen", "Stéphane Petit"}
	for i := 0; i < checks; i++ {
		c.Checks = append(c.Checks, regie.CheckLine{PaymentID: fmt.Sprintf("p-%d", i),
			Receipt: fmt.Sprintf("R-ENF-C01-2026-%06d", 31+i), Number: fmt.Sprintf("%07d", 1234567+i*13),
			Bank: banks[i%len(banks)], Drawer: drawers[i%len(drawers)], Amount: regie.Money(40_00 + i*7_35)})
	}
	c.Totals[regie.Check] = regie.ChecksTotal(c.Checks)
	c.CashReceived, c.CashRefunded, c.CashDeposited = 448_00, 8_40, 0
	c.ExpectedCash = c.Float + c.CashReceived - c.CashRefunded
	c.CountedCash = c.Count.Total()
	c.Difference = c.CountedCash - c.ExpectedCash
	c.CardTotal = c.Totals[regie.Card]
	return c
}

var sampleAgents = map[string]string{"a-0001": "Marie Dupont", "a-0002": "Julien Martin", "a-0003": "Sophie Bernard"}

// sampleZReport is sampleClosing with a journal of n payments (one in ten
// split between cash and cheque) and one cancellation.
func sampleZReport(n, checks int) *ZReportData {
	d := &ZReportData{Issuer: sampleIssuer(), Closing: sampleClosing(checks), Agents: sampleAgents,
		LastSeq: 1234, LastHash: sampleHash}
	names := []string{"Lefèvre Hélène", "Nguyen Thomas", "Moreau Françoise", "Benali Karim", "Garçon Aurélie", "Petit Stéphane"}
	for i := 0; i < n; i++ {
		p := regie.Payment{ID: fmt.Sprintf("p-%d", i), Receipt: fmt.Sprintf("R-ENF-C01-2026-%06d", 31+i),
			Agent: "a-0003", At: at(8, 30).Add(time.Duration(i) * 7 * time.Second),
			Payer: names[i%len(names)], Account: fmt.Sprintf("F%06d", 1001+i%6),
			Tenders: []regie.Tender{{Mode: regie.Cash, Amount: regie.Money(12_00 + i%50*10)}}}
		if i%10 == 0 {
			p.Tenders = append(p.Tenders, regie.Tender{Mode: regie.Check, Amount: 40_00})
		}
		p.Total = p.TendersTotal()
		d.Payments = append(d.Payments, p)
	}
	if n > 3 {
		d.Cancellations = []regie.Cancellation{{ID: "c-1", PaymentID: "p-3", Receipt: d.Payments[3].Receipt,
			Reason: "Erreur de saisie du montant", Agent: "a-0003", ApprovedBy: "a-0001", At: at(12, 10),
			Day: "2026-11-27", Refunds: d.Payments[3].Tenders}}
	}
	return d
}

func sampleRemittance() *CheckRemittanceData {
	return &CheckRemittanceData{Issuer: sampleIssuer(), Number: "REM-ENF-C01-2026-0047", Date: at(17, 50),
		Agent: "Marie Dupont", Checks: sampleClosing(8).Checks, Account: "DFT 49 000 000 123 45 – Régie Enfance"}
}

func sampleDeposit() *DepositSlipData {
	checks := sampleClosing(5).Checks
	count := regie.CashCount{{Value: 50_00, Count: 10}, {Value: 20_00, Count: 25}, {Value: 10_00, Count: 12},
		{Value: 5_00, Count: 8}, {Value: 2_00, Count: 10}}
	dep := &regie.Deposit{ID: "d-1", Counter: "C01", Agent: "a-0001", At: at(17, 55), Day: "2026-11-27",
		Cash: count.Total(), Count: count, Checks: checks, Reference: "VER-ENF-C01-2026-0012"}
	dep.Total = dep.Cash + regie.ChecksTotal(checks)
	return &DepositSlipData{Issuer: sampleIssuer(), Deposit: dep, Agent: "Marie Dupont",
		Recipient: "Service de gestion comptable de Cholet"}
}

// sampleStatement is November 2026: a closing on every weekday up to the
// 27th, with the sample closing's totals varied by day.
func sampleStatement() *MonthlyStatementData {
	d := &MonthlyStatementData{Issuer: sampleIssuer(), Year: 2026, Month: time.November}
	grand := regie.ModeTotals{regie.Cash: 12_000_00, regie.Check: 6_000_00, regie.Card: 15_000_00, regie.HolidayCheck: 900_00}
	for day := 2; day <= 27; day++ {
		t := time.Date(2026, 11, day, 17, 45, 0, 0, paris)
		if t.Weekday() == time.Saturday || t.Weekday() == time.Sunday {
			continue
		}
		c := sampleClosing(day % 5)
		c.Day, c.At = t.Format(time.DateOnly), t.UTC()
		c.Totals[regie.Cash] += regie.Money(day * 13_10)
		c.Totals[regie.CESU] = regie.Money(day%3) * 15_00
		c.Difference = regie.Money(0)
		if day%7 == 3 {
			c.Difference = -1_00
		}
		c.Payments = 30 + day
		c.Cancellations = day % 2
		grand = grand.Add(c.Totals)
		c.GrandTotals = grand
		d.Closings = append(d.Closings, *c)
	}
	return d
}
