package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/app/demo"
	"github.com/regie-fr/regie/app/store"
)

// counter builds the counter service in the régie's time zone, seeding the
// demo régie first in demo mode. The service checks its file at the first
// login or opening of the till (CheckFile).
func counter(ctx context.Context, st *store.Store, demoMode bool) (*app.Counter, error) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return nil, err
	}
	c := app.New(app.Adapt(st), app.WithLocation(paris), app.WithFileCheck(st.VerifyAtStart))
	if demoMode {
		if err := demo.Seed(ctx, c, demo.Options{}); err != nil {
			return nil, err
		}
	}
	if s, _, err := c.Settings(ctx); err == nil && s.Timezone != "" && s.Timezone != "Europe/Paris" {
		loc, err := time.LoadLocation(s.Timezone)
		if err != nil {
			return nil, fmt.Errorf("time zone %q: %w", s.Timezone, err)
		}
		c = app.New(app.Adapt(st), app.WithLocation(loc), app.WithFileCheck(st.VerifyAtStart))
	}
	return c, nil
}

// openExisting opens a counter file that must exist already (the
// windowless commands never create one), saying in French on stderr why
// not when it cannot.
func openExisting(ctx context.Context, db string, stderr io.Writer) (*store.Store, bool) {
	if _, err := os.Stat(db); err != nil {
		fmt.Fprintf(stderr, "Fichier introuvable : %s\n", db)
		return nil, false
	}
	st, err := store.Open(ctx, db)
	if err != nil {
		fmt.Fprintf(stderr, "Impossible d'ouvrir le fichier de caisse %s : %v\n", db, err)
		return nil, false
	}
	return st, true
}
