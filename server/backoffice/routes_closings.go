package backoffice

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/regie-fr/regie/server/store"
)

// routesClosings: the arrêtés de caisse (closings) with their differences
// and Z reports, the monthly statements, the deposits with their
// bordereaux, and the procès-verbaux de vérification de caisse. Lists need
// PermView on the régie, every PDF PermExport (and is audited), recording
// a procès-verbal PermAct: the régisseur or the suppléant of the régie,
// in whose presence the comptable public checks the till. Finance, read
// only, lists and downloads the procès-verbaux but does not record them.
func (b *Backoffice) routesClosings(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"/clotures", b.page(PermView, b.closingsList))
	mux.HandleFunc("GET "+Prefix+"/clotures/{counter}/{day}/z.pdf", b.page(PermExport, b.closingZReport))
	mux.HandleFunc("GET "+Prefix+"/releves/{regie}/{month}", b.page(PermExport, b.monthlyStatement))
	mux.HandleFunc("GET "+Prefix+"/versements", b.page(PermView, b.depositsList))
	mux.HandleFunc("GET "+Prefix+"/versements/{id}/{doc}", b.page(PermExport, b.depositDoc))
	mux.HandleFunc("GET "+Prefix+"/verifications", b.page(PermView, b.verificationsList))
	mux.HandleFunc("GET "+Prefix+"/verifications/nouvelle", b.page(PermAct, b.verificationForm))
	mux.HandleFunc("POST "+Prefix+"/verifications/nouvelle", b.form(PermAct, b.verificationRecord))
	mux.HandleFunc("GET "+Prefix+"/verifications/{id}/pv.pdf", b.page(PermExport, b.verificationPDF))
}

// period is the days a list covers: ?du=YYYY-MM-DD&au=YYYY-MM-DD, by
// default from the first day of last month to today.
type period struct{ From, To string }

func (b *Backoffice) periodOf(r *http.Request) (period, string) {
	today := b.cfg.Now().In(location("")).Format(time.DateOnly)
	t, _ := time.Parse(time.DateOnly, today)
	p := period{From: t.AddDate(0, -1, -t.Day()+1).Format(time.DateOnly), To: today}
	var bad string
	for _, f := range []struct {
		key string
		to  *string
	}{{"du", &p.From}, {"au", &p.To}} {
		v := strings.TrimSpace(r.URL.Query().Get(f.key))
		if v == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			bad = "Date invalide : « " + v + " » (attendu : AAAA-MM-JJ). La période par défaut est affichée."
			continue
		}
		*f.to = v
	}
	if p.From > p.To {
		p.From, p.To = p.To, p.From
	}
	return p, bad
}

// scopedRegies is the régies a list shows: those the visitor has perm on,
// narrowed to ?regie= when it names one of them.
func scopedRegies(r *http.Request, v *visit, perm Perm) (all, shown []string, selected string) {
	all = v.Regies(perm)
	selected = r.URL.Query().Get("regie")
	if selected != "" && slices.Contains(all, selected) {
		return all, []string{selected}, selected
	}
	return all, all, ""
}

type closingsPage struct {
	Regies   []string
	Selected string
	Period   period
	Rows     []closingLine
	Months   []statementLink
}

type closingLine struct {
	store.ClosingRow
	Ref       string
	CanExport bool
	// Server: a counter that lives on the server, closed by itself with no
	// cash to count; the list shows no cash figures for it.
	Server bool
}

type statementLink struct{ Regie, Month, Label string }

func (b *Backoffice) closingsList(w http.ResponseWriter, r *http.Request, v *visit) {
	all, shown, selected := scopedRegies(r, v, PermView)
	p, bad := b.periodOf(r)
	var rows []store.ClosingRow
	err := b.st.View(r.Context(), func(tx *store.Tx) (err error) {
		rows, err = tx.Closings(shown, p.From, p.To)
		return err
	})
	if err != nil {
		b.internal(w, r, v, "closings", err)
		return
	}
	data := &closingsPage{Regies: all, Selected: selected, Period: p}
	months := map[statementLink]bool{}
	for _, row := range rows {
		exp := v.Can(PermExport, row.Regie)
		data.Rows = append(data.Rows, closingLine{ClosingRow: row, Ref: counterRef(row.Regie, row.Counter), CanExport: exp,
			Server: row.Counter == store.ServerCounterCode(store.CounterBackOffice) || row.Counter == store.ServerCounterCode(store.CounterOnline)})
		if m := (statementLink{Regie: row.Regie, Month: row.Closing.Day[:7]}); exp && !months[m] {
			months[m] = true
			m.Label = monthLabel(m.Month)
			data.Months = append(data.Months, m)
		}
	}
	view := b.newView(v, "Arrêtés de caisse", "clotures", data)
	view.Error = bad
	b.render(w, http.StatusOK, "closings_list", view)
}

// monthLabel is "novembre 2026" for "2026-11".
func monthLabel(m string) string {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return m
	}
	names := []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
		"octobre", "novembre", "décembre"}
	return names[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

func (b *Backoffice) closingZReport(w http.ResponseWriter, r *http.Request, v *visit) {
	regieCode, counter, err := parseCounterRef(r.PathValue("counter"))
	day := r.PathValue("day")
	if _, derr := time.Parse(time.DateOnly, day); err != nil || derr != nil {
		b.notFound(w, r)
		return
	}
	var pdf []byte
	err = b.st.View(r.Context(), func(tx *store.Tx) (err error) {
		pdf, err = zReportPDF(tx, v.Regies(PermExport), regieCode, counter, day)
		return err
	})
	b.sendPDF(w, r, v, err, pdf, "closing.zreport", regieCode, counter+"/"+day, "Z-"+regieCode+"-"+counter+"-"+day+".pdf")
}

func (b *Backoffice) monthlyStatement(w http.ResponseWriter, r *http.Request, v *visit) {
	regieCode := r.PathValue("regie")
	month, ok := strings.CutSuffix(r.PathValue("month"), ".pdf")
	t, err := time.Parse("2006-01", month)
	if !ok || err != nil {
		b.notFound(w, r)
		return
	}
	var pdf []byte
	err = b.st.View(r.Context(), func(tx *store.Tx) (err error) {
		pdf, err = monthlyStatementPDF(tx, v.Regies(PermExport), regieCode, t)
		return err
	})
	b.sendPDF(w, r, v, err, pdf, "closing.statement", regieCode, month, "releve-"+regieCode+"-"+month+".pdf")
}

type depositsPage struct {
	Regies   []string
	Selected string
	Period   period
	Rows     []depositLine
}

type depositLine struct {
	store.DepositRow
	CanExport bool
}

func (b *Backoffice) depositsList(w http.ResponseWriter, r *http.Request, v *visit) {
	all, shown, selected := scopedRegies(r, v, PermView)
	p, bad := b.periodOf(r)
	var rows []store.DepositRow
	err := b.st.View(r.Context(), func(tx *store.Tx) (err error) {
		rows, err = tx.Deposits(shown, p.From, p.To)
		return err
	})
	if err != nil {
		b.internal(w, r, v, "deposits", err)
		return
	}
	data := &depositsPage{Regies: all, Selected: selected, Period: p}
	for _, row := range rows {
		data.Rows = append(data.Rows, depositLine{DepositRow: row, CanExport: v.Can(PermExport, row.Regie)})
	}
	view := b.newView(v, "Versements au comptable", "clotures", data)
	view.Error = bad
	b.render(w, http.StatusOK, "closings_deposits", view)
}

func (b *Backoffice) depositDoc(w http.ResponseWriter, r *http.Request, v *visit) {
	doc := r.PathValue("doc")
	if doc != "bordereau.pdf" && doc != "cheques.pdf" {
		b.notFound(w, r)
		return
	}
	var pdf []byte
	var row *store.DepositRow
	err := b.st.View(r.Context(), func(tx *store.Tx) (err error) {
		pdf, row, err = depositPDF(tx, v.Regies(PermExport), r.PathValue("id"), doc == "cheques.pdf")
		return err
	})
	if row == nil {
		b.sendPDF(w, r, v, err, nil, "", "", "", "")
		return
	}
	name := strings.TrimSuffix(doc, ".pdf") + "-" + row.Regie + "-" + row.Counter + "-" + row.Deposit.Day + ".pdf"
	b.sendPDF(w, r, v, err, pdf, "deposit."+strings.TrimSuffix(doc, ".pdf"), row.Regie, row.Deposit.ID, name)
}

// sendPDF answers a PDF download: not found when pdf is nil (unknown, or
// outside the visitor's régies: the two look the same), otherwise the
// export is recorded in the audit trail, in a transaction of its own
// before a byte is sent, then the file.
func (b *Backoffice) sendPDF(w http.ResponseWriter, r *http.Request, v *visit, err error, pdf []byte,
	action, regieCode, target, filename string) {
	if err != nil {
		b.storeFailure(w, r, v, action, err)
		return
	}
	if pdf == nil {
		b.notFound(w, r)
		return
	}
	err = b.st.Update(context.WithoutCancel(r.Context()), func(tx *store.Tx) error {
		return b.audit(tx, v, action, regieCode, target, map[string]any{"file": filename, "bytes": len(pdf)})
	})
	if err != nil {
		b.internal(w, r, v, "audit export", err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(pdf)))
	w.Write(pdf)
}
