// Package api serves sync v1 to the counters: enrolment, push of journal
// entries, pull of reference data. Every request but enrolment carries the
// counter's credential; every refusal is a protocol.ErrorBody with a French
// message, and nothing is written by a refused request.
package api

import (
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/sync/protocol"
)

// Options tune the API; the zero value gives the defaults.
type Options struct {
	// MaxPushBytes bounds a push request's body (default 16 MiB, some ten
	// thousand payments): a larger one is refused with 413 before it is read.
	MaxPushBytes int64
	// MaxBatch bounds the entries of one push (default 10 000).
	MaxBatch int
	// PullLimit is the number of rows in one pull page (default 20 000).
	PullLimit int
	// MinVersion is the oldest protocol version accepted (default 1); a
	// counter speaking an older one is told to update.
	MinVersion int
	// ClockTolerance is how far ahead of the server's clock a pushed entry
	// may be dated (default 10 minutes).
	ClockTolerance time.Duration
	Logger         *slog.Logger
	Now            func() time.Time
}

// Server holds what the handlers share.
type Server struct {
	st  *store.Store
	opt Options
	log *slog.Logger
	mux *http.ServeMux
	// fallbacks are the catch-all patterns, which answer unknownPath.
	fallbacks map[string]bool
}

// New builds the API's handler on a store, with /healthz beside it.
func New(st *store.Store, opt Options) http.Handler {
	if opt.MaxPushBytes <= 0 {
		opt.MaxPushBytes = 16 << 20
	}
	if opt.MaxBatch <= 0 {
		opt.MaxBatch = 10_000
	}
	if opt.PullLimit <= 0 {
		opt.PullLimit = 20_000
	}
	if opt.MinVersion <= 0 {
		opt.MinVersion = 1
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	mux := http.NewServeMux()
	s := &Server{st: st, opt: opt, log: opt.Logger, mux: mux,
		fallbacks: map[string]bool{"/api/": true, "/api/sync/{version}/": true}}
	mux.HandleFunc("POST "+protocol.PathEnrol, s.versioned(s.enrol))
	mux.HandleFunc("POST "+protocol.PathPush, s.versioned(s.authenticated(s.push)))
	mux.HandleFunc("GET "+protocol.PathPull, s.versioned(s.authenticated(s.seen(s.pull))))
	mux.HandleFunc("POST "+protocol.PathLinkSlips, s.versioned(s.authenticated(s.seen(s.linkSlip))))
	mux.HandleFunc("GET "+protocol.PathJournal, s.versioned(s.authenticated(s.seen(s.journal))))
	mux.HandleFunc("/api/sync/{version}/", s.otherVersion)
	mux.HandleFunc("/api/", s.unknownPath)
	mux.HandleFunc("GET /healthz", s.health)
	return mux
}

// versioned refuses every v1 request when the server has moved past v1.
func (s *Server) versioned(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if protocol.Version < s.opt.MinVersion {
			s.tooOld(w)
			return
		}
		h(w, r)
	}
}

// otherVersion answers paths of protocol versions this server does not
// serve, and paths or methods v1 does not have: older versions get the
// typed "too old" error, the rest 404 or 405 (unknownPath).
func (s *Server) otherVersion(w http.ResponseWriter, r *http.Request) {
	if n, err := strconv.Atoi(strings.TrimPrefix(r.PathValue("version"), "v")); err == nil && n < s.opt.MinVersion {
		s.tooOld(w)
		return
	}
	s.unknownPath(w, r)
}

func (s *Server) tooOld(w http.ResponseWriter) {
	writeError(w, http.StatusGone, protocol.ErrorBody{Code: protocol.CodeTooOld, MinVersion: s.opt.MinVersion,
		Message: "Mise à jour nécessaire : le serveur n'accepte plus cette version de la caisse."})
}
