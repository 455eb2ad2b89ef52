package portal

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/regie-fr/regie"
)

// invoicePage is the invoice page's data: the invoice, and whether it can
// be paid online now.
type invoicePage struct {
	*Invoice
	PayOnline bool
}

// offersOnline tells whether the invoice page shows "Payer en ligne".
func (p *Portal) offersOnline(r *http.Request, inv *Invoice) bool {
	return p.cfg.Online != nil && inv.Remaining > 0 && p.cfg.Online.Offers(r.Context(), inv.Regie)
}

// payOnline starts the online payment of one of the household's invoices
// and sends the citizen to the payment page. The household is the one
// chosen in the session: the service reads the invoice within it.
func (p *Portal) payOnline(w http.ResponseWriter, r *http.Request, v *visit) {
	if p.cfg.Online == nil {
		p.notFound(w, r)
		return
	}
	to, err := p.cfg.Online.Start(r.Context(), OnlineRequest{HouseholdID: v.current.ID, InvoiceID: r.PathValue("id"),
		Email: v.sess.Identity.Email, PublicURL: v.site.base})
	var re *regie.Error
	switch {
	case errors.As(err, &re) && regie.ClassOf(re.Code) == regie.ClassNotFound:
		p.storeFailure(w, r, v, "pay online", err)
	case errors.As(err, &re):
		p.log.Warn("portal: online payment refused", "code", string(re.Code))
		status := http.StatusConflict
		if re.Code == regie.EInternal {
			status = http.StatusBadGateway
		}
		p.fail(w, r, v, status, "Paiement en ligne impossible", re.Message)
	case err != nil:
		p.internal(w, r, v, "pay online", err)
	default:
		http.Redirect(w, r, to, http.StatusSeeOther)
	}
}

// payfipNotification is PayFiP's server telling that a payment ended. It
// carries no proof, only an idop: the outcome is asked to PayFiP itself
// (Check), so neither a session nor a CSRF token is needed, and an idop
// the store does not know changes nothing.
func (p *Portal) payfipNotification(w http.ResponseWriter, r *http.Request) {
	if p.cfg.Online == nil {
		p.notFound(w, r)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	idOp := idopOf(r)
	out, err := p.cfg.Online.Check(r.Context(), idOp)
	var re *regie.Error
	switch {
	case errors.As(err, &re) && regie.ClassOf(re.Code) == regie.ClassNotFound:
		p.log.Warn("portal: payfip notification for an unknown idop")
		http.Error(w, "unknown idop", http.StatusNotFound)
	case err != nil:
		p.log.Error("portal: payfip notification", "err", err)
		http.Error(w, "status unavailable", http.StatusBadGateway)
	default:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte(out.State + "\n"))
	}
}

// idopOf reads the idop PayFiP posts (or puts in the query).
func idopOf(r *http.Request) string {
	for _, k := range []string{"idop", "idOp", "IDOP"} {
		if v := r.FormValue(k); v != "" {
			return v
		}
	}
	return ""
}

// payfipReturnPost is PayFiP sending the citizen back with a form (a
// cross-site POST, which carries no Lax session cookie): the outcome is
// checked and recorded, then the browser is sent to the GET page, which
// has the session.
func (p *Portal) payfipReturnPost(w http.ResponseWriter, r *http.Request) {
	if p.cfg.Online == nil {
		p.notFound(w, r)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	idOp := idopOf(r)
	if _, err := p.cfg.Online.Check(r.Context(), idOp); err != nil {
		p.log.Warn("portal: payfip return", "err", err)
	}
	http.Redirect(w, r, "/payfip/retour?"+url.Values{"idop": {idOp}}.Encode(), http.StatusSeeOther)
}

// onlineView is the return page's data.
type onlineView struct {
	*OnlineOutcome
	// Own tells whether the payment is of one of the visitor's
	// households: only then are its invoice and receipt shown.
	Own         bool
	Unreachable bool
}

// payfipReturn shows how an online payment went. Anyone may reach it with
// an idop, so what it tells is the state alone unless the payment is of
// one of the visitor's households.
func (p *Portal) payfipReturn(w http.ResponseWriter, r *http.Request) {
	if p.cfg.Online == nil {
		p.notFound(w, r)
		return
	}
	v := p.visitor(r)
	if v.sess.LoggedIn() {
		hs, err := p.st.LinkedHouseholds(r.Context(), p.orgCode(r), v.sess.Identity.Subject)
		if err != nil {
			p.internal(w, r, v, "linked households", err)
			return
		}
		v.households = hs
		for i := range hs {
			if hs[i].ID == v.sess.Household || v.current == nil {
				v.current = &hs[i]
			}
		}
	}
	out, err := p.cfg.Online.Check(r.Context(), r.URL.Query().Get("idop"))
	var re *regie.Error
	if errors.As(err, &re) && regie.ClassOf(re.Code) == regie.ClassNotFound {
		p.fail(w, r, v, http.StatusNotFound, "Paiement introuvable", "Ce paiement en ligne n'existe pas.")
		return
	} else if out == nil {
		p.internal(w, r, v, "payfip return", err)
		return
	}
	data := &onlineView{OnlineOutcome: out, Unreachable: err != nil}
	for _, h := range v.households {
		if h.ID == out.HouseholdID {
			data.Own = true
		}
	}
	p.render(w, http.StatusOK, "online", p.newView(v, onlineTitle(out.State), "factures", data))
}

func onlineTitle(state string) string {
	switch state {
	case OnlinePaid:
		return "Paiement enregistré"
	case OnlineRefused:
		return "Paiement refusé"
	case OnlineCancelled:
		return "Paiement annulé"
	case OnlineExpired:
		return "Paiement non abouti"
	case OnlineAnomaly:
		return "Paiement en cours de vérification"
	}
	return "Paiement en attente de confirmation"
}
