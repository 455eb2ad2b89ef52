package portal

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"

	"github.com/regie-fr/regie"
)

//go:embed templates/*.html
var templateFS embed.FS

// pages are the portal's templates, each parsed with the layout.
type pages struct {
	byName map[string]*template.Template
}

func parsePages() (*pages, error) {
	base, err := template.New("").Funcs(funcs).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("portal: layout: %w", err)
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pg := &pages{byName: map[string]*template.Template{}}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFS, n)
		if err != nil {
			return nil, fmt.Errorf("portal: template %s: %w", name, err)
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
	Nav string
	Cfg *Config
	// Org is the organisation the page is for (its look); nil on a
	// page made without a request.
	Org      *Organisation
	Provider string
	// LoginReady is false when no identity provider is configured.
	LoginReady bool
	CSRF       string
	CSRFField  string
	LoggedIn   bool
	GivenName  string
	Households []Household
	Current    *Household
	// Error is a French message shown above the page's content.
	Error string
	// Notice is a confirmation shown above the page's content.
	Notice string
	// Notices are the session's one-time news (someone else linked a
	// household), shown on the next page of a linked citizen.
	Notices []string
	Data    any
}

// newView fills what the layout needs from the visit (nil for a visitor).
func (p *Portal) newView(v *visit, title, nav string, data any) *view {
	out := &view{Title: title, Nav: nav, Cfg: &p.cfg, Provider: p.login.ProviderName(), LoginReady: p.loginReady(),
		CSRFField: "csrf", Data: data}
	if v != nil && v.site != nil {
		cfg := p.cfg
		cfg.City = v.site.city
		out.Cfg, out.Org = &cfg, v.site.org
	}
	if v != nil && v.sess != nil {
		out.CSRF = v.sess.CSRF
		if v.sess.LoggedIn() {
			out.LoggedIn = true
			out.GivenName = v.sess.Identity.GivenName
			out.Households, out.Current = v.households, v.current
			out.Notices = v.sess.Notices
		}
	}
	return out
}

// render writes a page; a template failure becomes a 500 before anything
// was sent.
func (p *Portal) render(w http.ResponseWriter, status int, name string, data *view) {
	t := p.pages.byName[name]
	var b bytes.Buffer
	if t == nil {
		p.log.Error("portal: no template", "name", name)
		http.Error(w, "Erreur interne", http.StatusInternalServerError)
		return
	}
	if err := t.ExecuteTemplate(&b, "layout", data); err != nil {
		p.log.Error("portal: render", "page", name, "err", err)
		http.Error(w, "Erreur interne", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

// fail shows a French error page.
func (p *Portal) fail(w http.ResponseWriter, r *http.Request, v *visit, status int, title, message string) {
	if v == nil {
		v = &visit{}
	}
	if v.site == nil {
		v.site = p.siteOf(r)
	}
	p.render(w, status, "error", p.newView(v, title, "", message))
}

// notFound is the page for any unknown address, and for an id that is not
// the household's: the two cannot be told apart.
func (p *Portal) notFound(w http.ResponseWriter, r *http.Request) {
	p.fail(w, r, p.visitor(r), http.StatusNotFound, "Page introuvable",
		"Cette page n'existe pas, ou ne concerne pas votre foyer.")
}

// internal logs what went wrong (no personal data: the path and the
// error) and shows a French apology.
func (p *Portal) internal(w http.ResponseWriter, r *http.Request, v *visit, what string, err error) {
	p.log.Error("portal: "+what, "path", r.URL.Path, "err", err)
	p.fail(w, r, v, http.StatusInternalServerError, "Erreur",
		"Une erreur nous empêche d'afficher cette page. Réessayez dans quelques minutes.")
}

// storeFailure answers a store error: not found for any *NotFound code,
// an internal error otherwise.
func (p *Portal) storeFailure(w http.ResponseWriter, r *http.Request, v *visit, what string, err error) {
	var re *regie.Error
	if errors.As(err, &re) && regie.ClassOf(re.Code) == regie.ClassNotFound {
		p.fail(w, r, v, http.StatusNotFound, "Page introuvable",
			"Cette page n'existe pas, ou ne concerne pas votre foyer.")
		return
	}
	p.internal(w, r, v, what, err)
}

// visitor is the visit of a public page: the session if there is one,
// without the households.
func (p *Portal) visitor(r *http.Request) *visit {
	return &visit{sess: p.session(r), site: p.siteOf(r)}
}
