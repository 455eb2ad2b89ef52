package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
)

// migrate applies the embedded migrations to the database, as serve does
// by itself when it opens the file, but as a step of its own in an upgrade
// (stop, backup, replace the program, migrate, start, verify) that says
// from which version to which. --check only reports what is pending and
// exits 1 when something is, for a script that must not touch the file.
// It never creates a database: serve does on its first start.
func migrate(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	resolve := commonFlags(fs, e)
	o := outFlags(fs, stdout, stderr)
	check := fs.Bool("check", false, "dit seulement si des migrations restent à appliquer (code 1 s'il en reste)")
	if !parse(fs, args, stderr) {
		return 2
	}
	cfg, err := resolve()
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	from, err := store.FileVersion(ctx, cfg.DB)
	if err != nil {
		return o.fail(opsError(store.Redact(cfg.DB), err))
	}
	latest := store.LatestVersion()
	if from > latest {
		return o.fail(regie.Errorf(regie.EConflict, "La base %s est à la version %d du schéma, plus récente que ce programme (version %d) : "+
			"utilisez le programme de la version installée en dernier.", store.Redact(cfg.DB), from, latest))
	}
	doc := struct {
		From    int      `json:"from"`
		To      int      `json:"to"`
		Pending []string `json:"pending"`
		Applied bool     `json:"applied"`
	}{From: from, To: from, Pending: store.PendingFor(cfg.DB, from)}
	if doc.Pending == nil {
		doc.Pending = []string{}
	}
	if !*check && len(doc.Pending) > 0 {
		st, err := store.Open(ctx, cfg.DB)
		if err != nil {
			return o.fail(regie.Errorf(regie.EInvalid, "Migration de %s impossible, la base reste à la version où la dernière migration réussie l'a laissée : %v", store.Redact(cfg.DB), err))
		}
		st.Close()
		if doc.To, err = store.FileVersion(ctx, cfg.DB); err != nil {
			return o.fail(opsError(store.Redact(cfg.DB), err))
		}
		doc.Applied = true
	}
	code := o.answer(doc, func(w io.Writer) {
		switch {
		case len(doc.Pending) == 0:
			fmt.Fprintf(w, "La base %s est à jour (schéma version %d).\n", store.Redact(cfg.DB), from)
		case *check:
			fmt.Fprintf(w, "La base %s est à la version %d ; %s à appliquer : %s.\n", store.Redact(cfg.DB), from,
				count(len(doc.Pending), "migration", "migrations"), strings.Join(doc.Pending, ", "))
		default:
			fmt.Fprintf(w, "Base %s migrée de la version %d à la version %d (%s).\n", store.Redact(cfg.DB), doc.From, doc.To, strings.Join(doc.Pending, ", "))
		}
	})
	if code == 0 && *check && len(doc.Pending) > 0 {
		return 1
	}
	return code
}
