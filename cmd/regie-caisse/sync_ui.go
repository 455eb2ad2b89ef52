package main

import (
	"context"
	"os"
	"strings"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app/ui"
	"github.com/regie-fr/regie/sync/client"
)

// syncer adapts the sync client to the status bar.
type syncer struct{ *client.Client }

func (s syncer) State() ui.SyncState {
	st := s.Client.State()
	return ui.SyncState{Configured: st.Configured, Online: st.Online, Pending: st.Pending,
		LastSuccess: st.LastSuccess, LastError: st.LastError}
}

// syncOptions are the sync client's timings from caisse.json; zero values
// keep the client's defaults.
func syncOptions(cfg *ui.Config) client.Options {
	return client.Options{PushDelay: time.Duration(cfg.Sync.PushDelay), Interval: time.Duration(cfg.Sync.Interval),
		MinBackoff: time.Duration(cfg.Sync.MinBackoff), MaxBackoff: time.Duration(cfg.Sync.MaxBackoff)}
}

// enrol binds the counter to its server and pulls the régie's settings
// and agents at once, so that the agents can log in right after.
func (s syncer) enrol(ctx context.Context, server, code string) error {
	if _, err := s.Client.Enrol(ctx, server, code); err != nil {
		return err
	}
	return s.Client.Sync(ctx)
}

// enrolAtStart binds a counter that is not bound yet to server with the
// code in codeFile: the demo starts the counter already enrolled.
func enrolAtStart(ctx context.Context, c interface {
	Settings(context.Context) (*regie.Regie, *regie.Counter, error)
}, sc syncer, server, codeFile string) error {
	if _, _, err := c.Settings(ctx); err == nil {
		return nil // bound already
	}
	b, err := os.ReadFile(codeFile)
	if err != nil {
		return regie.Errorf(regie.ENotConfigured, "Code d'enrôlement illisible (%s).", codeFile)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	return sc.enrol(ctx, server, strings.TrimSpace(string(b)))
}
