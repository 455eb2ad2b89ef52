package portal

import (
	"bytes"
	"html/template"
	"net/http"
	"strconv"

	"github.com/regie-fr/regie"
)

// paymentsData is Mes paiements: a year's payments and the years to pick.
// It is built once per version of the household's payments and may be
// shared by concurrent requests (see paymentsCache): never change it.
type paymentsData struct {
	Years []int
	Year  int
	Count int
	// Total is what the year's payments that were not cancelled add up to.
	Total string
	// Rows are the table's rows, rendered by the template "rows" (so
	// escaped by html/template like the rest of the page).
	Rows template.HTML
}

// paymentRow is a payment as a row of the table shows it, every value
// formatted once in Go: the template only places and escapes them.
type paymentRow struct {
	ID      string
	Receipt string
	When    string // "10/03/2026 à 09:30", in the régie's time zone
	// CancelledOn is the cancellation's date, empty when not cancelled.
	CancelledOn string
	Cancelled   bool
	Total       string
	Tenders     []string // "Espèces : 100,00 €"
	Place       string   // the counter's name or "en ligne"
	RegieName   string
	Settled     []settledRow
}

// settledRow is an invoice (linked) or an item a payment settled: the
// link's text, then Text (" : 3,50 €", or "Entrée piscine : 3,50 €").
type settledRow struct {
	InvoiceID     string
	InvoiceNumber string
	Text          string
}

// payments lists every payment of the household in a year, whatever the
// counter or mode, online ones included, cancelled ones marked.
func (p *Portal) payments(w http.ResponseWriter, r *http.Request, v *visit) {
	ctx := r.Context()
	asked := r.URL.Query().Get("annee")
	if _, ok := parseYear(asked); !ok {
		p.notFound(w, r)
		return
	}
	version, err := p.st.PaymentsVersion(ctx, v.current.ID)
	if err != nil {
		p.internal(w, r, v, "payments version", err)
		return
	}
	d := p.paymentsCache.get(v.current.ID, asked, version)
	if d == nil {
		years, err := p.st.PaymentYears(ctx, v.current.ID)
		if err != nil {
			p.internal(w, r, v, "payment years", err)
			return
		}
		year := p.pickYear(asked, years)
		list, err := p.st.Payments(ctx, v.current.ID, year)
		if err != nil {
			p.internal(w, r, v, "payments", err)
			return
		}
		if d, err = p.paymentsPage(years, year, list); err != nil {
			p.internal(w, r, v, "payments rows", err)
			return
		}
		// With no payment at all the year shown is this year, which
		// changes with the date alone: such a page is not kept.
		if len(years) > 0 {
			p.paymentsCache.put(v.current.ID, asked, version, d)
		}
	}
	p.render(w, http.StatusOK, "payments", p.newView(v, "Mes paiements en "+strconv.Itoa(d.Year), "paiements", d))
}

// paymentsPage formats a year's payments and renders their rows.
func (p *Portal) paymentsPage(years []int, year int, list []Payment) (*paymentsData, error) {
	rows := make([]paymentRow, len(list))
	var total regie.Money
	for i, x := range list {
		row := paymentRow{ID: x.ID, Receipt: x.Receipt, When: formatDateTime(x.At, x.Timezone), Total: x.Total.String(),
			Place: x.CounterName, RegieName: x.RegieName, Cancelled: x.Cancelled != nil,
			Tenders: make([]string, len(x.Tenders)), Settled: make([]settledRow, len(x.Settled))}
		if x.Online {
			row.Place = "en ligne"
		}
		if x.Cancelled != nil {
			row.CancelledOn = formatDate(x.Cancelled.At, "")
		} else {
			total += x.Total
		}
		for j, t := range x.Tenders {
			row.Tenders[j] = t.Mode.Label() + " : " + t.Amount.String()
		}
		for j, s := range x.Settled {
			if s.InvoiceID != "" {
				row.Settled[j] = settledRow{InvoiceID: s.InvoiceID, InvoiceNumber: s.InvoiceNumber, Text: " : " + s.Amount.String()}
			} else {
				row.Settled[j] = settledRow{Text: s.Label + " : " + s.Amount.String()}
			}
		}
		rows[i] = row
	}
	var b bytes.Buffer
	if err := p.pages.byName["payments"].ExecuteTemplate(&b, "rows", rows); err != nil {
		return nil, err
	}
	// The rows were escaped by html/template as they were rendered.
	return &paymentsData{Years: years, Year: year, Count: len(list), Total: total.String(), Rows: template.HTML(b.String())}, nil
}

// parseYear reads ?annee=: "" (the default year) or a plausible year.
func parseYear(s string) (int, bool) {
	if s == "" {
		return 0, true
	}
	y, err := strconv.Atoi(s)
	if err != nil || y < 2000 || y > 2200 {
		return 0, false
	}
	return y, true
}

// pickYear is the year ?annee= asks for (already checked by parseYear),
// defaulting to the latest year with payments, or the current year.
func (p *Portal) pickYear(asked string, years []int) int {
	if y, _ := parseYear(asked); y != 0 {
		return y
	}
	if len(years) > 0 {
		return years[0]
	}
	return p.cfg.Now().Year()
}
