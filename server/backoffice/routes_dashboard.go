package backoffice

import (
	"net/http"

	"github.com/regie-fr/regie/server/store"
)

func (b *Backoffice) routesDashboard(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"/{$}", b.page(PermOps, b.dashboard))
}

// dashboardData is the dashboard page: every alert of the visitor's régies
// most urgent first, then each régie with its counters.
type dashboardData struct {
	Alerts []dashboardAlert
	Regies []store.RegieDashboard
	// Counts are the alerts by level, for the summary above the list.
	Critique, Important, Info int
}

// dashboardAlert is an alert with the names the page shows beside it.
type dashboardAlert struct {
	store.Alert
	RegieName string
	Timezone  string
}

// dashboard shows the figures of the régies the visitor's roles give
// PermOps on, and nothing of the others: the store is given that list only.
// Closing comments are free text a régisseur wrote, which may name a
// citizen: they are shown to those who see the régie's journal (PermView),
// not to the administrator, who sees the figures only.
func (b *Backoffice) dashboard(w http.ResponseWriter, r *http.Request, v *visit) {
	ds, err := b.st.Dashboard(r.Context(), v.Regies(PermOps), b.cfg.Now())
	if err != nil {
		b.internal(w, r, v, "dashboard", err)
		return
	}
	data := &dashboardData{Regies: ds}
	names := map[string]store.RegieDashboard{}
	for i := range ds {
		d := &ds[i]
		names[d.Regie.Code] = *d
		if v.Can(PermView, d.Regie.Code) {
			continue
		}
		for j := range d.Counters {
			for k := range d.Counters[j].Differences {
				d.Counters[j].Differences[k].Comment = ""
			}
		}
	}
	for _, a := range store.AllAlerts(ds) {
		d := names[a.Regie]
		data.Alerts = append(data.Alerts, dashboardAlert{Alert: a, RegieName: d.Regie.Name, Timezone: d.Regie.Timezone})
		switch a.Level {
		case store.Critique:
			data.Critique++
		case store.Important:
			data.Important++
		default:
			data.Info++
		}
	}
	b.render(w, http.StatusOK, "dashboard", b.newView(v, "Tableau de bord", "tableau", data))
}
