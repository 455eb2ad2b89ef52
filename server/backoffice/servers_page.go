package backoffice

import (
	"net/http"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
)

// serversData is the page: per régie, its two server counters.
type serversData struct {
	Regies []serversRegie
}

type serversRegie struct {
	Code, Name, Timezone string
	Counters             []serverCounterLine
	// Anomalies are the PayFiP orders the régisseur must look at (an
	// outcome that disagrees with the order, a payment refused): shown to
	// who may see the régie's payments, since they name invoices.
	Anomalies []store.PayFiPOrder
	CanView   bool
}

// serverCounterLine is one server counter with what the visitor may see
// of it: the figures always, the last payments with PermView, the Z
// reports' links with PermExport.
type serverCounterLine struct {
	store.ServerCounterView
	Modes     []regie.PaymentMode
	Ref       string
	Payments  []paymentRowView
	CanView   bool
	CanExport bool
}

// paymentsShown is how many of a server counter's last payments are listed.
const paymentsShown = 10

func (b *Backoffice) serversPage(w http.ResponseWriter, r *http.Request, v *visit) {
	data := &serversData{}
	err := b.st.View(r.Context(), func(tx *store.Tx) error {
		views, err := tx.ServerCounterViews(v.Regies(PermOps), b.cfg.Now())
		if err != nil {
			return err
		}
		for _, sv := range views {
			if len(data.Regies) == 0 || data.Regies[len(data.Regies)-1].Code != sv.Regie {
				reg, err := tx.Regie(sv.Regie)
				if err != nil || reg == nil {
					return err
				}
				sr := serversRegie{Code: reg.Code, Name: reg.Name, Timezone: reg.Timezone, CanView: v.Can(PermView, reg.Code)}
				if sr.CanView {
					if sr.Anomalies, err = tx.PayFiPAnomalies([]string{reg.Code}); err != nil {
						return err
					}
				}
				data.Regies = append(data.Regies, sr)
			}
			sr := &data.Regies[len(data.Regies)-1]
			l := serverCounterLine{ServerCounterView: sv, Ref: counterRef(sv.Regie, sv.Code),
				CanView: v.Can(PermView, sv.Regie), CanExport: v.Can(PermExport, sv.Regie)}
			for _, m := range regie.Modes {
				if sv.Net[m] != 0 || sv.Day != nil && sv.Day.Received[m] != 0 {
					l.Modes = append(l.Modes, m)
				}
			}
			if l.CanView && sv.Created {
				page, err := tx.SearchPayments([]string{sv.Regie}, store.PaymentFilter{Regie: sv.Regie, Counter: sv.Code}, "", paymentsShown)
				if err != nil {
					return err
				}
				zones := map[string]*time.Location{sv.Regie: location(sr.Timezone)}
				for i := range page.Rows {
					l.Payments = append(l.Payments, rowView(&page.Rows[i], zones))
				}
			}
			sr.Counters = append(sr.Counters, l)
		}
		return nil
	})
	if err != nil {
		b.internal(w, r, v, "server counters", err)
		return
	}
	b.render(w, http.StatusOK, "servers_list", b.newView(v, "Postes du serveur", "serveur", data))
}
