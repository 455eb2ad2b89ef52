package backoffice

import (
	"net/url"
	"strings"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
)

// searchForm is the payments search as the form and the links carry it:
// the fields as typed (shown back in the form), the filter they make, and
// the problems found, in French.
type searchForm struct {
	Du, Au, Regie, Poste, Agent, Mode, Nom, Compte, Recu, Facture, Montant, Annule string
	// Page is the cursor of the page shown ("" for the first).
	Page     string
	Filter   store.PaymentFilter
	Problems []string
}

// searchFields are the query's names, in the form's order.
var searchFields = []string{"du", "au", "regie", "poste", "agent", "mode", "nom", "compte", "recu", "facture", "montant", "annule"}

// parseSearchForm reads a search from a query string, whole: every field
// is checked and every problem reported, and a search with a problem is
// not run.
func parseSearchForm(q url.Values) *searchForm {
	get := func(k string) string {
		v := strings.TrimSpace(q.Get(k))
		if len(v) > 200 {
			v = v[:200]
		}
		return strings.ToValidUTF8(v, "")
	}
	sf := &searchForm{Du: get("du"), Au: get("au"), Regie: get("regie"), Poste: get("poste"), Agent: get("agent"),
		Mode: get("mode"), Nom: get("nom"), Compte: get("compte"), Recu: get("recu"), Facture: get("facture"),
		Montant: get("montant"), Annule: get("annule"), Page: get("page")}
	f := &sf.Filter
	f.From, f.To = sf.day("Du", sf.Du), sf.day("Au", sf.Au)
	if f.From != "" && f.To != "" && f.From > f.To {
		sf.Problems = append(sf.Problems, "La date « du » est après la date « au ».")
	}
	f.Regie, f.Counter, f.Agent = sf.Regie, sf.Poste, sf.Agent
	f.Name, f.Account, f.Receipt, f.Invoice = sf.Nom, sf.Compte, sf.Recu, sf.Facture
	if sf.Mode != "" {
		if m := regie.PaymentMode(sf.Mode); m.Valid() {
			f.Mode = m
		} else {
			sf.Problems = append(sf.Problems, "Mode de paiement inconnu : choisissez-le dans la liste.")
		}
	}
	if sf.Montant != "" {
		if m, err := regie.ParseMoney(sf.Montant); err != nil || m <= 0 {
			sf.Problems = append(sf.Problems, "Montant : « "+sf.Montant+" » n'est pas un montant positif (par exemple 12,50).")
		} else {
			f.Amount = &m
		}
	}
	switch sf.Annule {
	case "", store.CancelledOnly, store.CancelledNot:
		f.Cancelled = sf.Annule
	default:
		sf.Problems = append(sf.Problems, "Annulés : choisissez « oui », « non » ou « tous ».")
	}
	return sf
}

// day reads a date as the date field sends it (2026-11-27) or as people
// type it (27/11/2026).
func (sf *searchForm) day(label, s string) string {
	if s == "" {
		return ""
	}
	for _, layout := range []string{time.DateOnly, "02/01/2006", "2/1/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format(time.DateOnly)
		}
	}
	sf.Problems = append(sf.Problems, label+" : « "+s+" » n'est pas une date (JJ/MM/AAAA).")
	return ""
}

// query is the search as a query string, without the page: the links to
// the other pages and to the export add to it.
func (sf *searchForm) query() url.Values {
	q := url.Values{}
	vals := []string{sf.Du, sf.Au, sf.Regie, sf.Poste, sf.Agent, sf.Mode, sf.Nom, sf.Compte, sf.Recu, sf.Facture, sf.Montant, sf.Annule}
	for i, k := range searchFields {
		if vals[i] != "" {
			q.Set(k, vals[i])
		}
	}
	return q
}

// empty tells whether no criterion was given.
func (sf *searchForm) empty() bool { return len(sf.query()) == 0 }
