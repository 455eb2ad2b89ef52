package backoffice

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
)

// routesSearch is the journal search across counters: the form and its
// results (PermView), one payment's detail (PermView), the CSV of a search
// (PermExport). Every read is given the régies the visitor holds the
// permission on, and nothing else.
func (b *Backoffice) routesSearch(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"/paiements", b.page(PermView, b.searchPage))
	mux.HandleFunc("GET "+Prefix+"/paiements/export.csv", b.page(PermExport, b.searchExport))
	mux.HandleFunc("GET "+Prefix+"/paiements/{id}", b.page(PermView, b.paymentPage))
	mux.HandleFunc("POST "+Prefix+"/paiements/{id}/annuler", b.form(PermAct, b.paymentCancel))
}

// searchPageSize is how many payments a page lists.
const searchPageSize = 50

// countCap is where the result count stops counting ("plus de 1 000").
const countCap = 1000

type option struct{ Value, Label string }

type searchView struct {
	Form                      *searchForm
	Regies, Counters, Agents  []option
	Modes                     []option
	Rows                      []paymentRowView
	Count                     string
	Next, First, Export, Self string
}

type paymentRowView struct {
	ID, At, Receipt, Regie, Counter, Household, Account, Payer, Modes, Total, Invoices, CancelReason string
	Cancelled                                                                                        bool
}

func (b *Backoffice) searchPage(w http.ResponseWriter, r *http.Request, v *visit) {
	scope := v.Regies(PermView)
	sf := parseSearchForm(r.URL.Query())
	data := &searchView{Form: sf, Self: Prefix + "/paiements"}
	for _, m := range regie.Modes {
		data.Modes = append(data.Modes, option{string(m), m.Label()})
	}
	err := b.st.View(r.Context(), func(tx *store.Tx) error {
		zones, err := b.searchChoices(tx, scope, data)
		if err != nil || len(sf.Problems) > 0 {
			return err
		}
		page, err := tx.SearchPayments(scope, sf.Filter, sf.Page, searchPageSize)
		if err != nil {
			return err
		}
		n, err := tx.CountPayments(scope, sf.Filter, countCap)
		if err != nil {
			return err
		}
		data.Count = resultCount(n)
		for i := range page.Rows {
			data.Rows = append(data.Rows, rowView(&page.Rows[i], zones))
		}
		q := sf.query()
		if page.Next != "" {
			q.Set("page", page.Next)
			data.Next = Prefix + "/paiements?" + q.Encode()
			q.Del("page")
		}
		if sf.Page != "" {
			data.First = Prefix + "/paiements?" + q.Encode()
		}
		if len(exportScope(v)) > 0 {
			data.Export = Prefix + "/paiements/export.csv?" + q.Encode()
		}
		return nil
	})
	if err != nil {
		var re *regie.Error
		if errors.As(err, &re) {
			sf.Problems = append(sf.Problems, re.Message)
		} else {
			b.internal(w, r, v, "search payments", err)
			return
		}
	}
	view := b.newView(v, "Paiements", "paiements", data)
	status := http.StatusOK
	if len(sf.Problems) > 0 {
		view.Error = "La recherche n'a pas été faite : " + strings.Join(sf.Problems, " ")
		status = http.StatusBadRequest
	}
	b.render(w, status, "search_list", view)
}

// searchChoices fills the form's lists with what the scope holds, and
// gives each régie's time zone.
func (b *Backoffice) searchChoices(tx *store.Tx, scope []string, data *searchView) (map[string]*time.Location, error) {
	regies, err := tx.Regies()
	if err != nil {
		return nil, err
	}
	zones := map[string]*time.Location{}
	for i := range regies {
		r := &regies[i]
		if !slices.Contains(scope, r.Code) {
			continue
		}
		zones[r.Code] = store.RegieLocation(r)
		data.Regies = append(data.Regies, option{r.Code, r.Name})
		agents, err := tx.Agents(r.Code)
		if err != nil {
			return nil, err
		}
		for _, a := range agents {
			data.Agents = append(data.Agents, option{a.ID, a.Name + " (" + r.Code + ")"})
		}
	}
	counters, err := tx.Counters()
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, c := range counters {
		if slices.Contains(scope, c.Regie) && !seen[c.Code] {
			seen[c.Code] = true
			data.Counters = append(data.Counters, option{c.Code, c.Code + " – " + c.Name})
		}
	}
	return zones, nil
}

func rowView(p *store.PaymentRow, zones map[string]*time.Location) paymentRowView {
	loc := zones[p.Regie]
	if loc == nil {
		loc = location("")
	}
	modes := make([]string, len(p.Modes))
	for i, m := range p.Modes {
		modes[i] = m.Label()
	}
	return paymentRowView{ID: p.ID, At: p.At.In(loc).Format("02/01/2006 à 15:04"), Receipt: p.Receipt, Regie: p.Regie,
		Counter: p.Counter, Household: p.HouseholdName, Account: p.Account, Payer: p.Payer, Modes: strings.Join(modes, ", "),
		Total: p.Total.String(), Invoices: strings.Join(p.Invoices, ", "), Cancelled: p.Cancelled, CancelReason: p.CancelReason}
}

// resultCount is the count announced above the results.
func resultCount(n int) string {
	switch {
	case n == 0:
		return "Aucun paiement ne correspond à la recherche."
	case n == 1:
		return "1 paiement trouvé."
	case n > countCap:
		return fmt.Sprintf("Plus de %s paiements trouvés.", groupThousands(countCap))
	}
	return fmt.Sprintf("%s paiements trouvés.", groupThousands(n))
}

// groupThousands writes 1000 as "1 000" (narrow no-break space).
func groupThousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "\u202f" + s[i:]
	}
	return s
}

// exportScope are the régies whose payments the visitor may export: those
// they may both see and export.
func exportScope(v *visit) []string {
	var out []string
	for _, r := range v.Regies(PermExport) {
		if v.Can(PermView, r) {
			out = append(out, r)
		}
	}
	return out
}
