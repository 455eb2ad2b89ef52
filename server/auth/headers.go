package auth

import (
	"net/http"
	"strings"
)

// SecurityHeaders adds the headers every portal answer carries: a
// Content-Security-Policy that allows no script at all (the portal needs
// none) and styles and images from the portal only, frame denial, no MIME
// sniffing, a strict referrer policy, and no caching of pages that show a
// household's data. formTargets are the other origins a form may lead to
// (the identity provider's, for the logout's redirect: browsers apply
// form-action to the redirects that follow a form).
func SecurityHeaders(next http.Handler, formTargets ...string) http.Handler {
	action := "'self'"
	for _, o := range formTargets {
		if o != "" {
			action += " " + o
		}
	}
	csp := strings.Join([]string{"default-src 'none'", "style-src 'self'", "img-src 'self' data:",
		"form-action " + action, "frame-ancestors 'none'", "base-uri 'none'"}, "; ")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

// HSTS tells browsers to reach the site only over HTTPS for a year: added
// when the server terminates TLS itself (behind a proxy, the proxy does).
func HSTS(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Strict-Transport-Security", "max-age=31536000")
		next.ServeHTTP(w, r)
	})
}
