package payfip

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/portal"
	"github.com/regie-fr/regie/server/store"
)

// PayFiP's bounds on an amount, in cents (docs/payfip.md §3).
const (
	MinAmount regie.Money = 1_00
	MaxAmount regie.Money = 99_999_99
)

// Start asks PayFiP for a payment of what remains on one of the household's
// invoices, records the order, and returns the payment page's address. The
// invoice is read within the household (another household's is not
// found), and a payment of it still in progress holds a new one back, so
// that a citizen with two tabs does not pay twice.
func (s *Service) Start(ctx context.Context, req portal.OnlineRequest) (string, error) {
	mel := strings.TrimSpace(req.Email)
	if len(mel) < 6 || len(mel) > 80 || !strings.Contains(mel, "@") {
		return "", regie.Errorf(regie.EInvalid, "PayFiP a besoin de votre adresse électronique pour vous envoyer le ticket de paiement, et votre compte ne nous en a pas transmis de valide.")
	}
	o, reg, err := s.prepare(ctx, req)
	if err != nil {
		return "", err
	}
	now := s.cfg.Now()
	base := s.cfg.PublicURL
	if req.PublicURL != "" {
		base = strings.TrimRight(req.PublicURL, "/") // the household's organisation's portal
	}
	cr := &CreateRequest{Exer: strconv.Itoa(now.In(store.RegieLocation(reg)).Year()), Mel: mel, Montant: int64(o.Amount),
		Numcli: o.Numcli, Objet: Objet(o.InvoiceNumber + " " + reg.Name), Refdet: o.Refdet, Saisie: s.cfg.Saisie,
		URLNotif: base + "/payfip/notification", URLRedirect: base + "/payfip/retour"}
	idOp, err := s.c.Create(ctx, cr)
	if err != nil {
		s.log.Warn("payfip: order not created", "regie", o.Regie, "invoice", o.InvoiceID, "err", err)
		return "", regie.Errorf(regie.EInternal, "%s", French(err))
	}
	o.IdOp, o.CreatedAt = idOp, now
	raced := false
	err = s.st.Update(ctx, func(tx *store.Tx) error {
		// Another order of the invoice may have been made meanwhile (a
		// double click, two tabs, two instances): this one is kept, so
		// that PayFiP's idOp is never unknown to us, but not offered.
		recent, err := tx.PayFiPOrders(o.InvoiceID, now.Add(-s.cfg.PendingFor))
		if err != nil {
			return err
		}
		for _, r := range recent {
			raced = raced || r.State == store.PayFiPCreated
		}
		return tx.InsertPayFiPOrder(o)
	})
	if err != nil {
		return "", err
	}
	if raced {
		return "", regie.Errorf(regie.EConflict, "Un paiement en ligne de cette facture est déjà en cours. Terminez-le sur la page de PayFiP, ou réessayez dans %d minutes.", int(s.cfg.PendingFor.Minutes()))
	}
	s.log.Info("payfip: order created", "idop", idOp, "regie", o.Regie, "invoice", o.InvoiceID, "amount", int64(o.Amount))
	return s.c.PaymentURL(idOp), nil
}

// prepare reads and checks what an order needs. Orders of the invoice
// still waiting are checked first: one the citizen cancelled on PayFiP's
// page no longer holds the invoice.
func (s *Service) prepare(ctx context.Context, req portal.OnlineRequest) (*store.PayFiPOrder, *regie.Regie, error) {
	o, reg, waiting, err := s.read(ctx, req)
	if err != nil {
		return nil, nil, err
	}
	if len(waiting) > 0 {
		for _, w := range waiting {
			if _, err := s.Check(ctx, w.IdOp); err != nil {
				s.log.Warn("payfip: check before a new order", "idop", w.IdOp, "err", err)
			}
		}
		if o, reg, waiting, err = s.read(ctx, req); err != nil {
			return nil, nil, err
		} else if len(waiting) > 0 {
			return nil, nil, regie.Errorf(regie.EConflict, "Un paiement en ligne de cette facture est déjà en cours. Terminez-le sur la page de PayFiP, ou réessayez dans %d minutes.", int(s.cfg.PendingFor.Minutes()))
		}
	}
	return o, reg, nil
}

// read builds the order of req from the store, with the invoice's orders
// still waiting for an outcome.
func (s *Service) read(ctx context.Context, req portal.OnlineRequest) (o *store.PayFiPOrder, reg *regie.Regie, waiting []store.PayFiPOrder, err error) {
	now := s.cfg.Now()
	err = s.st.View(ctx, func(tx *store.Tx) error {
		inv, err := tx.Invoice(req.InvoiceID)
		if err != nil {
			return err
		}
		if inv == nil || req.HouseholdID == "" || inv.HouseholdID != req.HouseholdID {
			return regie.Errorf(regie.EInvoiceNotFound, "Facture introuvable.")
		}
		if reg, err = tx.Regie(inv.Regie); err != nil {
			return err
		}
		if !offers(reg) {
			return regie.Errorf(regie.EModeNotAllowed, "La régie ne propose pas le paiement en ligne de cette facture : payez-la à un guichet.")
		}
		switch {
		case inv.Remaining <= 0:
			return regie.Errorf(regie.EInvalid, "La facture %s est déjà réglée.", inv.Number)
		case inv.Remaining < MinAmount || inv.Remaining > MaxAmount:
			return regie.Errorf(regie.EInvalidAmount, "PayFiP n'accepte que les paiements de %s à %s : payez cette facture à un guichet.", MinAmount, MaxAmount)
		}
		recent, err := tx.PayFiPOrders(inv.ID, now.Add(-s.cfg.PendingFor))
		if err != nil {
			return err
		}
		for _, r := range recent {
			if r.State == store.PayFiPCreated {
				waiting = append(waiting, r)
			}
		}
		o = &store.PayFiPOrder{Regie: reg.Code, Numcli: reg.PayFiPClient, HouseholdID: inv.HouseholdID, InvoiceID: inv.ID,
			InvoiceNumber: inv.Number, Refdet: Refdet(inv.Number, inv.ID), Amount: inv.Remaining}
		return nil
	})
	return o, reg, waiting, err
}

// Refdet is the debt reference PayFiP shows and sends back: the invoice
// number's letters and digits (PayFiP takes 6 to 30 of them), the
// invoice id's when the number has too few.
func Refdet(number, id string) string {
	for _, s := range []string{number, id} {
		r := alnum(s)
		if len(r) > 30 {
			r = r[len(r)-30:]
		}
		if len(r) >= 6 {
			return r
		}
	}
	return strings.Repeat("0", 6-len(alnum(id))) + alnum(id)
}

// Objet is the payment's subject as PayFiP takes it: letters without
// accents, digits and single spaces, 100 at most.
func Objet(s string) string {
	var b strings.Builder
	for _, w := range strings.Fields(regie.FoldName(s)) {
		w = alnum(w)
		if w == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	out := b.String()
	if len(out) > 100 {
		out = strings.TrimSpace(out[:100])
	}
	return out
}

func alnum(s string) string {
	var b strings.Builder
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		s = s[n:]
		if r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
