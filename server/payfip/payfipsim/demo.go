package payfipsim

import (
	"context"
	"fmt"
	"net/url"

	"github.com/regie-fr/regie/server/payfip"
	"github.com/regie-fr/regie/server/portal"
	"github.com/regie-fr/regie/server/store"
)

// DemoClient is the PayFiP client number the demo régie gets.
const DemoClient = "000000"

// The demo's online payment: Hélène Lefèvre's (household F001001)
// accueil périscolaire of October, paid by card.
const (
	DemoHousehold = "h-0001"
	DemoInvoice   = "i-0001-2"
	DemoEmail     = "helene.lefevre@example.fr"
)

// Demo makes the demo régie ENF take PayFiP payments (client DemoClient,
// unless it has one) and pays one invoice online through svc and sim, as
// Hélène would on the portal: the order, the card payment on the
// simulator's page, then the status call that records it on the régie's
// online counter — at once, without waiting for the notification, which
// may reach a server not yet listening (it then changes nothing). It
// returns the order's idOp. svc must use sim as its PayFiP (a client whose
// BaseURL is sim's).
func Demo(ctx context.Context, st *store.Store, svc *payfip.Service, sim *Sim) (string, error) {
	err := st.Update(ctx, func(tx *store.Tx) error {
		r, err := tx.Regie("ENF")
		if err != nil || r == nil || r.PayFiPClient != "" {
			return err
		}
		r.PayFiPClient = DemoClient
		return tx.SaveRegie(r, false)
	})
	if err != nil {
		return "", fmt.Errorf("payfipsim: demo régie: %w", err)
	}
	page, err := svc.Start(ctx, portal.OnlineRequest{HouseholdID: DemoHousehold, InvoiceID: DemoInvoice, Email: DemoEmail})
	if err != nil {
		return "", fmt.Errorf("payfipsim: demo order: %w", err)
	}
	u, err := url.Parse(page)
	if err != nil {
		return "", err
	}
	idOp := u.Query().Get("idop")
	if _, err := sim.Pay(idOp, payfip.PaidCard); err != nil {
		return "", err
	}
	out, err := svc.Check(ctx, idOp)
	if err != nil {
		return "", fmt.Errorf("payfipsim: demo status: %w", err)
	}
	if out.State != portal.OnlinePaid {
		return "", fmt.Errorf("payfipsim: demo payment %s", out.State)
	}
	return idOp, nil
}
