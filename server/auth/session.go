package auth

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"sync"
	"time"
)

// Session is a logged-in citizen's state on the portal, kept in the
// server's memory and named by a random cookie: the citizen's identity,
// the household they are looking at, the token their forms must carry and
// the notices to show once. A login in flight is not a session: it is in
// a sealed cookie (LoginCookies), so anonymous visitors never fill this
// store. Values handed out are copies; change a session
// with Sessions.Update.
type Session struct {
	ID       string
	CSRF     string
	Identity *Identity
	// Notices are shown on the next page, then forgotten.
	Notices   []string
	Household string
	Created   time.Time
	Seen      time.Time
}

// LoggedIn tells whether the session belongs to a citizen who logged in.
func (s *Session) LoggedIn() bool { return s != nil && s.Identity != nil }

// SessionConfig tunes the sessions; the zero value is secure (Secure
// cookies, 30 minutes idle, 12 hours at most).
type SessionConfig struct {
	// InsecureCookies drops the Secure attribute, for http://127.0.0.1 in
	// development only: browsers then send the cookie over plain HTTP.
	InsecureCookies bool
	Idle            time.Duration
	MaxAge          time.Duration
	// MaxSessions bounds memory: past it the oldest sessions are dropped
	// (default 100 000).
	MaxSessions int
	Now         func() time.Time
}

// Sessions holds the portal's sessions. Restarting the server logs every
// citizen out, which the portal can afford: logging in again takes a click.
type Sessions struct {
	cfg  SessionConfig
	name string
	mu   sync.Mutex
	m    map[string]*Session
}

// NewSessions makes an empty session store.
func NewSessions(cfg SessionConfig) *Sessions {
	if cfg.Idle <= 0 {
		cfg.Idle = 30 * time.Minute
	}
	if cfg.MaxAge <= 0 {
		cfg.MaxAge = 12 * time.Hour
	}
	if cfg.MaxSessions <= 0 {
		cfg.MaxSessions = 100_000
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	// The __Host- prefix makes browsers refuse the cookie unless it is
	// Secure, for the whole host and set by it: no sub-domain can plant one.
	name := "__Host-regie"
	if cfg.InsecureCookies {
		name = "regie_session"
	}
	return &Sessions{cfg: cfg, name: name, m: map[string]*Session{}}
}

// CookieName is the session cookie's name.
func (s *Sessions) CookieName() string { return s.name }

// Get gives a copy of the request's live session, nil when it has none.
func (s *Sessions) Get(r *http.Request) *Session {
	c, err := r.Cookie(s.name)
	if err != nil || c.Value == "" {
		return nil
	}
	now := s.cfg.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	x := s.m[c.Value]
	if x == nil {
		return nil
	}
	if now.Sub(x.Seen) > s.cfg.Idle || now.Sub(x.Created) > s.cfg.MaxAge {
		delete(s.m, x.ID)
		return nil
	}
	x.Seen = now
	cp := *x
	return &cp
}

// Start gives the browser a new empty session, replacing any it had.
func (s *Sessions) Start(w http.ResponseWriter, r *http.Request) *Session {
	s.Destroy(w, r)
	now := s.cfg.Now()
	x := &Session{ID: randomToken(), CSRF: randomToken(), Created: now, Seen: now}
	s.mu.Lock()
	s.sweep(now)
	s.m[x.ID] = x
	s.mu.Unlock()
	s.setCookie(w, x.ID, 0)
	cp := *x
	return &cp
}

// Rotate moves a session to a new id and CSRF token, dropping the old id:
// called at login, so that an id planted or seen before cannot be used to
// ride the citizen's logged-in session.
func (s *Sessions) Rotate(w http.ResponseWriter, old *Session, fn func(*Session)) *Session {
	now := s.cfg.Now()
	s.mu.Lock()
	delete(s.m, old.ID)
	x := &Session{ID: randomToken(), CSRF: randomToken(), Created: now, Seen: now}
	if fn != nil {
		fn(x)
	}
	s.m[x.ID] = x
	s.mu.Unlock()
	s.setCookie(w, x.ID, 0)
	cp := *x
	return &cp
}

// Update changes a live session; false when it has ended meanwhile.
func (s *Sessions) Update(id string, fn func(*Session)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	x := s.m[id]
	if x == nil {
		return false
	}
	fn(x)
	return true
}

// Destroy ends the request's session and clears its cookie.
func (s *Sessions) Destroy(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(s.name); err == nil {
		s.mu.Lock()
		delete(s.m, c.Value)
		s.mu.Unlock()
		s.setCookie(w, "", -1)
	}
}

// Len is the number of sessions held, for tests and metrics.
func (s *Sessions) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.m)
}

func (s *Sessions) setCookie(w http.ResponseWriter, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: s.name, Value: value, Path: "/", MaxAge: maxAge,
		Secure: !s.cfg.InsecureCookies, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// sweep drops expired sessions, and the oldest ones when there are too
// many; the caller holds the lock.
func (s *Sessions) sweep(now time.Time) {
	if len(s.m) < s.cfg.MaxSessions && len(s.m)%1024 != 0 {
		return
	}
	var oldest *Session
	for id, x := range s.m {
		if now.Sub(x.Seen) > s.cfg.Idle || now.Sub(x.Created) > s.cfg.MaxAge {
			delete(s.m, id)
		} else if oldest == nil || x.Seen.Before(oldest.Seen) {
			oldest = x
		}
	}
	if len(s.m) >= s.cfg.MaxSessions && oldest != nil {
		delete(s.m, oldest.ID)
	}
}

// randomToken is 256 random bits, URL-safe.
func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
