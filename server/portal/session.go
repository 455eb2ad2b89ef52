package portal

import (
	"errors"
	"net/http"

	"github.com/regie-fr/regie/server/auth"
)

// session is the request's session for a page that anyone may see: when
// the session store cannot be read the visitor is shown the page as
// anonymous, and the failure is logged.
func (p *Portal) session(r *http.Request) *auth.Session {
	s, err := p.sessions.Get(r)
	if err != nil {
		p.log.Error("portal: read session", "path", r.URL.Path, "err", err)
		return nil
	}
	return s
}

// updateSession changes the visit's session and says whether that worked;
// a session ended meanwhile (logged out from another tab) is not a
// failure: the next page asks to log in again.
func (p *Portal) updateSession(r *http.Request, v *visit, fn func(*auth.Session)) error {
	err := p.sessions.Update(r.Context(), v.sess.ID, fn)
	if errors.Is(err, auth.ErrNoSession) {
		return nil
	}
	return err
}
