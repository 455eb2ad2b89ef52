package portal

import (
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/regie-fr/regie"
)

// funcs are the templates' helpers: French formats for amounts and dates,
// in the régie's time zone.
var funcs = template.FuncMap{
	"money":    func(m regie.Money) string { return m.String() },
	"date":     formatDate,
	"datetime": formatDateTime,
	"isodate":  frDay,
	"mode":     func(m regie.PaymentMode) string { return m.Label() },
	"join":     strings.Join,
	"add":      func(a, b int) int { return a + b },
}

// formatDate is a time's date in a time zone ("" for Europe/Paris):
// "27/11/2026".
func formatDate(t time.Time, tz string) string { return t.In(location(tz)).Format("02/01/2006") }

// formatDateTime is a time's date and time in a time zone ("" for
// Europe/Paris): "27/11/2026 à 09:30".
func formatDateTime(t time.Time, tz string) string {
	return t.In(location(tz)).Format("02/01/2006 à 15:04")
}

// frDay turns "2026-11-27" into "27/11/2026"; anything else is shown as
// it is.
func frDay(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.Format("02/01/2006")
}

var locations sync.Map

// location is a régie's time zone, Europe/Paris when it names none or one
// unknown to this system.
func location(name string) *time.Location {
	if name == "" {
		name = "Europe/Paris"
	}
	if l, ok := locations.Load(name); ok {
		return l.(*time.Location)
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		if l, err = time.LoadLocation("Europe/Paris"); err != nil {
			l = time.UTC
		}
	}
	locations.Store(name, l)
	return l
}

//go:embed static
var staticFS embed.FS

// staticHandler serves the style sheet, cached for a day; anything else
// under /static/ gets the portal's own 404 page.
func staticHandler(notFound http.HandlerFunc) http.Handler {
	sub, _ := fs.Sub(staticFS, "static")
	files := http.StripPrefix("/static/", http.FileServer(http.FS(sub)))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/static/")
		if st, err := fs.Stat(sub, name); err != nil || st.IsDir() || !fs.ValidPath(name) {
			notFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=86400")
		files.ServeHTTP(w, r)
	})
}
