package regie

import "fmt"

// closing checks an arrêté de caisse against the journal: the sessions it
// ends are of its day, the day is not already sealed, and every figure is
// what Closing.Compute gives from the day's entries and the previous
// closing — the one arithmetic of the wizard, the record and verify.
func (r *JournalRules) closing(c *Closing) error {
	if err := r.notSealed(c.Day); err != nil {
		return err
	}
	if len(c.Sessions) == 0 {
		return Errorf(ENoSession, "Clôture du %s sans ouverture de caisse.", c.Day)
	}
	for _, id := range c.Sessions {
		s, err := r.History.Session(id)
		if err != nil {
			return err
		} else if s == nil || s.Day != c.Day || len(c.Sessions) == 1 && s.Float != c.Float {
			return Errorf(ENoSession, "La clôture du %s ne correspond à aucune ouverture de caisse de ce jour.", c.Day)
		}
	}
	if err := c.Count.Validate(); err != nil {
		return err
	}
	if err := bounded(len(c.Checks), c.Float); err != nil {
		return err
	}
	// The Z report lists the cheques in the till: each must be one held.
	if err := r.held(c.Checks, fmt.Sprintf("Clôture du %s", c.Day)); err != nil {
		return err
	}
	f, err := r.History.DayFigures(c.Day)
	if err != nil {
		return err
	}
	prev, err := r.History.LastClosing()
	if err != nil {
		return err
	}
	want := Closing{Float: c.Float, Count: c.Count, Checks: c.Checks}
	want.Compute(f, prev)
	unbalanced := func(what string) error {
		return Errorf(EClosingUnbalanced, "Clôture du %s : %s.", c.Day, what)
	}
	switch {
	case !want.Totals.Equal(c.Totals):
		return unbalanced("totaux par mode différents des paiements du journal")
	case !want.GrandTotals.Equal(c.GrandTotals):
		return unbalanced("grand total perpétuel incohérent avec la clôture précédente")
	case want.CashReceived != c.CashReceived || want.CashRefunded != c.CashRefunded || want.CashDeposited != c.CashDeposited:
		return unbalanced("espèces reçues, remboursées ou versées différentes du journal")
	case want.ExpectedCash != c.ExpectedCash || want.CountedCash != c.CountedCash || want.Difference != c.Difference:
		return unbalanced("espèces attendues, comptées ou écart incohérents")
	case want.CardTotal != c.CardTotal:
		return unbalanced("total carte différent des paiements du journal")
	case f.Payments != c.Payments || f.Cancellations != c.Cancellations:
		return unbalanced("nombre de paiements ou d'annulations différent du journal")
	case f.FirstReceipt != c.FirstReceipt || f.LastReceipt != c.LastReceipt:
		// The Z report prints them: the day's receipts from … to ….
		return unbalanced("premier ou dernier reçu du jour différent du journal")
	case (c.Difference != 0 || c.CardDifference() != 0) && blank(c.Comment):
		return Errorf(ECommentRequired, "Clôture du %s : un écart sans commentaire.", c.Day)
	}
	return nil
}

// deposit checks a versement: its total is its cash and cheques, and each
// cheque is one the counter took and still holds (not cancelled, not
// already handed over, listed once).
func (r *JournalRules) deposit(d *Deposit) error {
	if err := r.notSealed(d.Day); err != nil {
		return err
	}
	if err := d.Count.Validate(); err != nil {
		return err
	}
	amounts := []Money{d.Cash, d.Total}
	for _, c := range d.Checks {
		amounts = append(amounts, c.Amount)
	}
	if err := bounded(len(d.Checks), amounts...); err != nil {
		return err
	}
	if d.Cash < 0 || len(d.Count) > 0 && d.Count.Total() != d.Cash {
		return Errorf(EDepositMismatch, "Versement : espèces (%s) négatives ou différentes du billetage.", d.Cash)
	}
	if d.Total != d.Cash+ChecksTotal(d.Checks) || d.Total <= 0 {
		return Errorf(EDepositMismatch, "Versement de %s : différent des espèces et chèques versés, ou nul.", d.Total)
	}
	return r.held(d.Checks, "Versement")
}

// held checks that each cheque listed (by a deposit, or a closing that
// counts the till) is one the counter took and still holds: its payment's
// cheque, for that amount, not cancelled, not already handed over, listed
// once. what names the entry in the refusal.
func (r *JournalRules) held(checks []CheckLine, what string) error {
	listed := map[checkRef]bool{}
	for _, c := range checks {
		notHeld := func(why string, args ...any) error {
			return Errorf(ECheckNotHeld, "%s : le chèque n° %s du reçu %s n'est pas en caisse (%s).",
				what, c.Number, c.Receipt, fmt.Sprintf(why, args...))
		}
		ref := checkRef{c.PaymentID, c.Tender}
		if listed[ref] {
			return notHeld("listé deux fois")
		}
		listed[ref] = true
		p, err := r.History.Payment(c.PaymentID)
		if err != nil {
			return err
		} else if p == nil || p.Receipt != c.Receipt {
			return notHeld("paiement inconnu de ce poste : %s", c.PaymentID)
		} else if c.Tender < 0 || c.Tender >= len(p.Tenders) || p.Tenders[c.Tender].Mode != Check {
			return notHeld("moyen de paiement n° %d du reçu, qui n'est pas un chèque", c.Tender+1)
		} else if t := p.Tenders[c.Tender]; t.Amount != c.Amount {
			return notHeld("reçu pour %s, listé pour %s", t.Amount, c.Amount)
		}
		if by, err := r.History.Cancelled(p.ID); err != nil {
			return err
		} else if by > 0 {
			return notHeld("paiement annulé par l'entrée n° %d", by)
		}
		if gone, err := r.History.Deposited(p.ID, c.Tender); err != nil {
			return err
		} else if gone {
			return notHeld("déjà versé")
		}
	}
	return nil
}
