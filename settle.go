package regie

// SettleInvoice applies the rules on an amount paid against what remains
// on an invoice, the same wherever a payment is taken (a desk, the
// back-office, a bank statement's review): more than remains needs the
// régisseur's (or the suppléant's) consent and the excess becomes a credit
// (trop-perçu), which it returns; less needs the régie to allow partial
// payments. number names the invoice in the French message.
func SettleInvoice(r *Regie, number string, remaining, amount Money, creditApproved bool) (credit Money, err error) {
	switch {
	case amount <= 0:
		return 0, Errorf(EAmountNotPositive, "Le montant réglé sur la facture %s doit être supérieur à zéro.", number)
	case amount > remaining && !creditApproved:
		return 0, Errorf(EOverRemaining, "La facture %s n'est due que pour %s : un trop-perçu de %s doit être accepté par le régisseur.",
			number, remaining, amount-remaining)
	case amount > remaining:
		return amount - remaining, nil
	case amount < remaining && !r.PartialPayments:
		return 0, Errorf(EPartialRefused, "Cette régie n'accepte pas les paiements partiels : la facture %s est due pour %s.", number, remaining)
	}
	return 0, nil
}
