package auth

import (
	"net/http"
	"net/url"
)

// CSRFField is the name of the hidden field every portal form carries.
const CSRFField = "csrf"

// CheckCSRF tells whether a POST comes from one of the portal's own forms:
// its csrf field must be the session's token (compared in constant time),
// and, when the browser says where the request comes from (Origin, or
// Sec-Fetch-Site), it must be this site. SameSite=Lax cookies already keep
// most cross-site posts out; the token covers older browsers and
// sub-domains. origin is the portal's public origin ("https://paiements.
// ville.fr", from REGIE_PUBLIC_URL): behind a reverse proxy the request's
// Host may be the proxy's upstream name, so the Origin header is checked
// against it; "" compares the Origin's host with the request's.
func CheckCSRF(r *http.Request, s *Session, origin string) bool {
	if s == nil || !sameSecret(r.PostFormValue(CSRFField), s.CSRF) {
		return false
	}
	return FromSite(r, origin)
}

// FromSite tells whether the browser says the request comes from this site
// (Origin, or Sec-Fetch-Site), or says nothing: the check of a form posted
// before there is a session to hold a token (a login form).
func FromSite(r *http.Request, origin string) bool {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return false
	}
	if o := r.Header.Get("Origin"); o != "" && o != "null" {
		if origin != "" {
			return o == origin
		}
		u, err := url.Parse(o)
		if err != nil || u.Host != r.Host {
			return false
		}
	}
	return true
}
