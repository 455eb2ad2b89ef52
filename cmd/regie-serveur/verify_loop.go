package main

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/regie-fr/regie/server/store"
)

// defaultVerifyEvery is how often a running server re-checks every
// counter's journal when nothing says otherwise: a broken chain shows on
// the dashboard within hours, and a whole check of a large file (it reads
// every journal) runs a few times a day only.
const defaultVerifyEvery = 6 * time.Hour

// verifyDelay is how long after start the first check runs: the dashboard
// has a chain status soon after a deployment, once the server is serving.
const verifyDelay = time.Minute

// verifyPeriod reads REGIE_VERIFY_EVERY / -verify-every: a Go duration
// ("6h", "30m"), "0" for no periodic check, empty for the default.
func verifyPeriod(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return defaultVerifyEvery, nil
	}
	d, err := time.ParseDuration(s)
	if s == "0" {
		d, err = 0, nil
	}
	if err != nil || d < 0 || d > 0 && d < time.Minute {
		return 0, fmt.Errorf("Période de vérification invalide : « %s » (par exemple 6h ou 30m, au moins 1m ; 0 pour aucune).", s)
	}
	return d, nil
}

// verifyLoop re-checks every counter's journal, first after the delay
// first and then every period, until ctx is done, and records the result
// for the dashboard. The check reads a
// snapshot of the database (pushes go on meanwhile) and its result is
// written in one short transaction.
func verifyLoop(ctx context.Context, st *store.Store, first, every time.Duration, log *slog.Logger) {
	if every <= 0 {
		return
	}
	t := time.NewTimer(min(first, every))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		start := time.Now()
		reports, err := st.VerifyAndRecord(ctx, time.Now)
		if err != nil {
			if ctx.Err() == nil {
				log.Error("periodic verify", "err", err)
			}
		} else {
			bad := 0
			for _, r := range reports {
				if !r.OK() {
					bad++
					log.Warn("journal broken or with problems", reportAttrs(r)...)
				}
			}
			log.Info("periodic verify", "counters", len(reports), "broken", bad, "ms", time.Since(start).Milliseconds())
		}
		t.Reset(every)
	}
}

// reportAttrs is what the log says of a failed check: where, how many
// problems, the entries and kinds concerned — never the report's French
// messages, which quote the rows (a payer's or a household's name). The
// whole report is for `regie-serveur verify` and the dashboard.
func reportAttrs(r store.ChainReport) []any {
	attrs := []any{"regie", r.Regie, "counter", r.Counter, "entries", r.Entries, "problems", len(r.Problems)}
	if r.Broken != nil {
		attrs = append(attrs, "broken_seq", r.Broken.Seq)
	}
	var where []string
	for _, p := range r.Problems {
		where = append(where, p.Code+"@"+strconv.FormatInt(p.Seq, 10))
	}
	if len(where) > 0 {
		attrs = append(attrs, "kinds", strings.Join(where, ","))
	}
	return attrs
}
