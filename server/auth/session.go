package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Session is a logged-in citizen's state on the portal, named by a random
// cookie and kept in a SessionStore — the server's database, so that every
// instance behind the load balancer sees it (architecture rule 11): the
// citizen's identity, the household they are looking at, the token their
// forms must carry and the notices to show once. A login in flight is not
// a session: it is in a sealed cookie (LoginCookies), so anonymous
// visitors never fill the store. Values handed out are copies; change a
// session with Sessions.Update.
type Session struct {
	// ID is the cookie's token; the store knows only its hash.
	ID       string `json:"-"`
	CSRF     string
	Identity *Identity
	// Notices are shown on the next page, then forgotten.
	Notices   []string
	Household string
	Created   time.Time `json:"-"`
	Seen      time.Time `json:"-"`
}

// LoggedIn tells whether the session belongs to a citizen who logged in.
func (s *Session) LoggedIn() bool { return s != nil && s.Identity != nil }

// Default lifetimes of a citizen's session; the sweep of expired sessions
// uses them too.
const (
	SessionIdle   = 30 * time.Minute
	SessionMaxAge = 12 * time.Hour
)

// touchEvery is how stale a session's last-seen time may get before a
// request writes it again: a write per page would be the price otherwise,
// and the idle limit is then kept to the minute, never exceeded.
const touchEvery = time.Minute

// SessionConfig tunes the sessions; the zero value is secure (Secure
// cookies, 30 minutes idle, 12 hours at most, kept in memory).
type SessionConfig struct {
	// InsecureCookies drops the Secure attribute, for http://127.0.0.1 in
	// development only: browsers then send the cookie over plain HTTP.
	InsecureCookies bool
	Idle            time.Duration
	MaxAge          time.Duration
	// Store keeps the sessions; nil keeps them in this process's memory
	// (NewMemorySessions), for tests and tools only: a server with several
	// instances must give the database's.
	Store SessionStore
	Now   func() time.Time
}

// Sessions hands out, reads and ends the portal's sessions; what it keeps
// is in its SessionStore, never in itself.
type Sessions struct {
	cfg  SessionConfig
	name string
	st   SessionStore
}

// NewSessions makes the portal's sessions on cfg.Store.
func NewSessions(cfg SessionConfig) *Sessions {
	if cfg.Idle <= 0 {
		cfg.Idle = SessionIdle
	}
	if cfg.MaxAge <= 0 {
		cfg.MaxAge = SessionMaxAge
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Store == nil {
		cfg.Store = NewMemorySessions(0)
	}
	// The __Host- prefix makes browsers refuse the cookie unless it is
	// Secure, for the whole host and set by it: no sub-domain can plant one.
	name := "__Host-regie"
	if cfg.InsecureCookies {
		name = "regie_session"
	}
	return &Sessions{cfg: cfg, name: name, st: cfg.Store}
}

// CookieName is the session cookie's name.
func (s *Sessions) CookieName() string { return s.name }

// SessionHash names a session in its store from its cookie's token: a copy
// of the store gives no usable cookie.
func SessionHash(token string) string {
	sum := sha256.Sum256([]byte("regie-portal-session:" + token))
	return hex.EncodeToString(sum[:])
}

// Get gives a copy of the request's live session, nil when it has none;
// an expired one is deleted on the way.
func (s *Sessions) Get(r *http.Request) (*Session, error) {
	c, err := r.Cookie(s.name)
	if err != nil || c.Value == "" {
		return nil, nil
	}
	ctx, hash, now := r.Context(), SessionHash(c.Value), s.cfg.Now()
	rec, err := s.st.LoadSession(ctx, hash)
	if err != nil || rec == nil {
		return nil, err
	}
	if s.expired(rec, now) {
		return nil, s.st.DeleteSession(ctx, hash)
	}
	x, err := decodeSession(rec)
	if err != nil {
		return nil, err
	}
	x.ID = c.Value
	if now.Sub(rec.Seen) >= touchEvery {
		if err := s.st.TouchSession(ctx, hash, now); err != nil {
			return nil, err
		}
		x.Seen = now
	}
	return x, nil
}

func (s *Sessions) expired(rec *SessionRecord, now time.Time) bool {
	return now.Sub(rec.Seen) > s.cfg.Idle || now.Sub(rec.Created) > s.cfg.MaxAge
}

// Start gives the browser a new empty session, replacing any it had.
func (s *Sessions) Start(w http.ResponseWriter, r *http.Request) (*Session, error) {
	if err := s.Destroy(w, r); err != nil {
		return nil, err
	}
	return s.create(w, r.Context(), nil)
}

// Rotate gives the browser a new session with a new id and CSRF token,
// made by fn, and ends the one its cookie named if any: called at login,
// so that an id planted or seen before cannot be used to ride the
// citizen's logged-in session. Expired sessions are swept then.
func (s *Sessions) Rotate(w http.ResponseWriter, r *http.Request, fn func(*Session)) (*Session, error) {
	ctx, now := r.Context(), s.cfg.Now()
	if c, err := r.Cookie(s.name); err == nil && c.Value != "" {
		if err := s.st.DeleteSession(ctx, SessionHash(c.Value)); err != nil {
			return nil, err
		}
	}
	if _, err := s.st.SweepSessions(ctx, now.Add(-s.cfg.Idle), now.Add(-s.cfg.MaxAge)); err != nil {
		return nil, err
	}
	return s.create(w, ctx, fn)
}

func (s *Sessions) create(w http.ResponseWriter, ctx context.Context, fn func(*Session)) (*Session, error) {
	now := s.cfg.Now()
	x := &Session{ID: randomToken(), CSRF: randomToken(), Created: now, Seen: now}
	if fn != nil {
		fn(x)
	}
	data, err := json.Marshal(x)
	if err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	if err := s.st.CreateSession(ctx, &SessionRecord{Hash: SessionHash(x.ID), Data: data, Created: now, Seen: now}); err != nil {
		return nil, err
	}
	s.setCookie(w, x.ID, 0)
	return x, nil
}

// ErrNoSession is Update's answer for a session that ended meanwhile.
var ErrNoSession = errors.New("session: no such session")

// Update changes a live session in one step of its store, so that two
// requests changing it on two instances lose neither change; ErrNoSession
// when it has ended meanwhile.
func (s *Sessions) Update(ctx context.Context, id string, fn func(*Session)) error {
	found, err := s.st.UpdateSession(ctx, SessionHash(id), func(data []byte) ([]byte, error) {
		var x Session
		if err := json.Unmarshal(data, &x); err != nil {
			return nil, fmt.Errorf("session: %w", err)
		}
		fn(&x)
		return json.Marshal(&x)
	})
	if err == nil && !found {
		err = ErrNoSession
	}
	return err
}

// Destroy ends the request's session and clears its cookie.
func (s *Sessions) Destroy(w http.ResponseWriter, r *http.Request) error {
	c, err := r.Cookie(s.name)
	if err != nil {
		return nil
	}
	s.setCookie(w, "", -1)
	if c.Value == "" {
		return nil
	}
	return s.st.DeleteSession(r.Context(), SessionHash(c.Value))
}

// Sweep deletes the sessions expired at now, for a server's periodic chore.
func (s *Sessions) Sweep(ctx context.Context, now time.Time) (int, error) {
	return s.st.SweepSessions(ctx, now.Add(-s.cfg.Idle), now.Add(-s.cfg.MaxAge))
}

func (s *Sessions) setCookie(w http.ResponseWriter, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: s.name, Value: value, Path: "/", MaxAge: maxAge,
		Secure: !s.cfg.InsecureCookies, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

func decodeSession(rec *SessionRecord) (*Session, error) {
	var x Session
	if err := json.Unmarshal(rec.Data, &x); err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	x.Created, x.Seen = rec.Created, rec.Seen
	return &x, nil
}

// randomToken is 256 random bits, URL-safe.
func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
