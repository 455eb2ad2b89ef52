package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/regie-fr/regie/sync/client"
)

// syncTimeout bounds the whole command: a round that has not ended by then
// is given up (it resumes where it stopped next time).
const syncTimeout = 5 * time.Minute

// syncCmd runs one round of sync on a counter file without opening a
// window: push what the server has not acknowledged, pull the reference
// data, and exit 0; or exit 1 with the French reason on stderr when the
// server refuses or cannot be reached (2 for a wrong command line or a file
// that cannot be opened). For scripts and for a counter whose window will
// not start.
func syncCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("regie-caisse sync", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "fichier de caisse")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *db == "" || fs.NArg() != 0 {
		fmt.Fprintln(stderr, "Usage : regie-caisse sync --db FICHIER")
		return 2
	}
	st, ok := openExisting(ctx, *db, stderr)
	if !ok {
		return 2
	}
	defer st.Close()
	c, err := counter(ctx, st, false)
	if err != nil {
		fmt.Fprintf(stderr, "Impossible d'ouvrir le fichier de caisse %s : %v\n", *db, err)
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	sc := client.New(c, client.Options{Logger: log})
	ctx, cancel := context.WithTimeout(ctx, syncTimeout)
	defer cancel()
	before, _ := c.SyncPoint(ctx)
	if err := sc.Sync(ctx); err != nil {
		// The round's outcome, in the status bar's French words.
		fmt.Fprintf(stderr, "Synchronisation impossible : %s\n", sc.State().LastError)
		return 1
	}
	after, err := c.SyncPoint(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "Synchronisation faite, mais état illisible : %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "Synchronisation faite avec %s : %d entrée(s) envoyée(s), %d en attente.\n",
		after.Server, max(after.Acked-before.Acked, 0), after.Pending())
	return 0
}
