package main

import (
	"context"

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

// enrol binds the counter to its server and pulls the régie's settings
// and agents at once, so that the agents can log in right after.
func (s syncer) enrol(ctx context.Context, server, code string) error {
	if _, err := s.Client.Enrol(ctx, server, code); err != nil {
		return err
	}
	return s.Client.Sync(ctx)
}
