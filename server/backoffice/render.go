package backoffice

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// funcs are the templates' helpers: French formats for amounts and dates.
var funcs = template.FuncMap{
	"money":    func(m regie.Money) string { return m.String() },
	"cents":    func(c int64) string { return regie.Money(c).String() },
	"date":     func(t time.Time, tz string) string { return t.In(location(tz)).Format("02/01/2006") },
	"datetime": func(t time.Time, tz string) string { return t.In(location(tz)).Format("02/01/2006 à 15:04") },
	"day":      frDay,
	"mode":     func(m regie.PaymentMode) string { return m.Label() },
	"role":     func(r string) string { return RoleLabels[r] },
	"join":     strings.Join,
	"add":      func(a, b int) int { return a + b },
	"prefix":   func() string { return Prefix },
}

// frDay turns "2026-11-27" into "27/11/2026"; anything else is shown as is.
func frDay(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.Format("02/01/2006")
}

// location is a time zone by name, Europe/Paris when it names none.
func location(name string) *time.Location {
	return store.RegieLocation(&regie.Regie{Timezone: name})
}

// pages are the templates, each parsed with the layout.
type pages struct{ byName map[string]*template.Template }

func parsePages() (*pages, error) {
	// Files named _*.html are pieces shared by several pages.
	base, err := template.New("").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/_*.html")
	if err != nil {
		return nil, fmt.Errorf("backoffice: layout: %w", err)
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pg := &pages{byName: map[string]*template.Template{}}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" || strings.HasPrefix(name, "_") {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFS, n)
		if err != nil {
			return nil, fmt.Errorf("backoffice: template %s: %w", name, err)
		}
		pg.byName[name] = t
	}
	return pg, nil
}

// view is what every page's template gets.
type view struct {
	// Title is the page's own title, first in <title> and its <h1>.
	Title string
	// Nav names the menu entry of the page.
	Nav  string
	City string
	// Staff is the logged-in account (nil on the login pages).
	Staff *store.Staff
	CSRF  string
	// Menu lists the entries the visitor's roles open.
	Menu []menuEntry
	// Error is a French message shown above the content; Notice a
	// confirmation.
	Error  string
	Notice string
	Data   any
}

type menuEntry struct {
	Key, Label, Path string
}

// menu is every area of the back-office with the permission that opens it.
var menu = []struct {
	entry menuEntry
	perm  Perm
}{
	{menuEntry{"tableau", "Tableau de bord", Prefix + "/"}, PermOps},
	{menuEntry{"paiements", "Paiements", Prefix + "/paiements"}, PermView},
	{menuEntry{"foyers", "Foyers", Prefix + "/foyers"}, PermView},
	{menuEntry{"saisie", "Saisir un virement", Prefix + "/saisie"}, PermAct},
	{menuEntry{"clotures", "Arrêtés et versements", Prefix + "/clotures"}, PermView},
	{menuEntry{"serveur", "Postes du serveur", Prefix + "/postes-serveur"}, PermOps},
	{menuEntry{"banque", "Banque", Prefix + "/banque"}, PermView},
	{menuEntry{"regies", "Régies et postes", Prefix + "/regies"}, PermAdmin},
	{menuEntry{"comptes", "Comptes", Prefix + "/comptes"}, PermAdmin},
	{menuEntry{"audit", "Journal d'audit", Prefix + "/audit"}, PermAudit},
}

// newView fills what the layout needs from the visit (nil for a visitor).
func (b *Backoffice) newView(v *visit, title, nav string, data any) *view {
	out := &view{Title: title, Nav: nav, City: b.cfg.City, Data: data}
	if v != nil && v.city != "" {
		out.City = v.city
	}
	if v != nil && v.staff != nil {
		out.Staff, out.CSRF = v.staff, v.sess.CSRF
		for _, m := range menu {
			if v.CanAny(m.perm) {
				out.Menu = append(out.Menu, m.entry)
			}
		}
	}
	return out
}

// render writes a page; a template failure becomes a 500 before anything
// was sent.
func (b *Backoffice) render(w http.ResponseWriter, status int, name string, data *view) {
	t := b.pages.byName[name]
	if t == nil {
		b.log.Error("backoffice: no template", "name", name)
		http.Error(w, "Erreur interne", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		b.log.Error("backoffice: render", "page", name, "err", err)
		http.Error(w, "Erreur interne", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// fail shows a French error page.
func (b *Backoffice) fail(w http.ResponseWriter, r *http.Request, v *visit, status int, title, message string) {
	b.render(w, status, "error", b.newView(v, title, "", message))
}

// notFound is the page for an unknown address, and for an id outside the
// visitor's régies: the two cannot be told apart.
func (b *Backoffice) notFound(w http.ResponseWriter, r *http.Request) {
	v, _ := b.current(r)
	b.fail(w, r, v, http.StatusNotFound, "Page introuvable",
		"Cette page n'existe pas, ou ne concerne pas une régie à laquelle vous avez accès.")
}

// internal logs what went wrong and shows a French apology.
func (b *Backoffice) internal(w http.ResponseWriter, r *http.Request, v *visit, what string, err error) {
	b.log.Error("backoffice: "+what, "path", r.URL.Path, "err", err)
	b.fail(w, r, v, http.StatusInternalServerError, "Erreur",
		"Une erreur empêche d'afficher cette page. Réessayez dans quelques minutes ; si elle persiste, prévenez l'administrateur.")
}

// storeFailure answers a store error: the French message of a domain error
// (404 for a *NotFound code, 409 for a conflict, 400 otherwise), an internal
// error for anything else.
func (b *Backoffice) storeFailure(w http.ResponseWriter, r *http.Request, v *visit, what string, err error) {
	var re *regie.Error
	if !errors.As(err, &re) {
		b.internal(w, r, v, what, err)
		return
	}
	switch regie.ClassOf(re.Code) {
	case regie.ClassNotFound:
		b.fail(w, r, v, http.StatusNotFound, "Page introuvable", re.Message)
	case regie.ClassConflict:
		b.fail(w, r, v, http.StatusConflict, "Action impossible", re.Message)
	default:
		b.fail(w, r, v, http.StatusBadRequest, "Saisie refusée", re.Message)
	}
}

// staticHandler serves the style sheet, cached for a day; anything else
// under static/ gets the back-office's own 404 page.
func staticHandler(notFound http.HandlerFunc) http.Handler {
	sub, _ := fs.Sub(staticFS, "static")
	files := http.StripPrefix(Prefix+"/static/", http.FileServer(http.FS(sub)))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, Prefix+"/static/")
		if st, err := fs.Stat(sub, name); err != nil || st.IsDir() || !fs.ValidPath(name) {
			notFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=86400")
		files.ServeHTTP(w, r)
	})
}
