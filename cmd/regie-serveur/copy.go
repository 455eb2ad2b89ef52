package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
)

// copyCity moves a city from its server file to PostgreSQL (issue 13):
// every table copied in one transaction on the target, read back, and
// verify run on both sides; the report says what was copied and what the
// checks found. The server is stopped first (docs/copie-postgresql.md):
// the copy reads the file as it was at one instant, and what a server
// would write after that instant would not be in the copy. The target's
// address is never shown with its password.
func copyCity(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("copy", flag.ContinueOnError)
	o := outFlags(fs, stdout, stderr)
	from := fs.String("from", "", "fichier SQLite du serveur à copier (jamais modifié)")
	to := fs.String("to", "", "base PostgreSQL de destination, vide (postgres://utilisateur@hôte/base)")
	if !parse(fs, args, stderr) {
		return 2
	}
	if *from == "" || *to == "" {
		fmt.Fprintln(stderr, "Indiquez la base à copier et sa destination : --from FICHIER --to postgres://….")
		return 2
	}
	rep, err := store.Copy(ctx, *from, *to)
	if err != nil {
		return o.fail(copyError(*from, *to, err))
	}
	code := o.answer(rep, func(w io.Writer) { printCopy(w, rep) })
	if code == 0 && !rep.OK() {
		return 1
	}
	return code
}

// copyError says in French why the copy was refused or failed; nothing
// was kept in the target either way.
func copyError(from, to string, err error) error {
	var re *regie.Error
	switch {
	case errors.Is(err, store.ErrNoFile), errors.Is(err, store.ErrNotServerFile):
		return opsError(from, err)
	case errors.As(err, &re):
		return err
	}
	return regie.Errorf(regie.EInvalid, "Copie impossible, rien n'a été gardé dans %s : %v", store.Redact(to), err)
}

func printCopy(w io.Writer, rep *store.CopyReport) {
	var rows int64
	for _, t := range rep.Tables {
		rows += t.Rows
	}
	fmt.Fprintf(w, "Copie de %s vers %s (schéma version %d, base %s) : %s, %s, en %s (lignes écrites en %s, puis relues et vérifiées).\n",
		rep.From, rep.To, rep.Version, rep.StoreID, count(len(rep.Tables), "table", "tables"), count64(rows, "ligne", "lignes"),
		seconds(rep.Millis), seconds(rep.RowsMillis))
	tables := slices.Clone(rep.Tables) // copied in foreign-key order, listed by name
	slices.SortFunc(tables, func(a, b store.CopiedTable) int { return strings.Compare(a.Name, b.Name) })
	for _, t := range tables {
		fmt.Fprintf(w, "  %-24s %9d\n", t.Name, t.Rows)
	}
	fmt.Fprintln(w, "Relue : chaque table de la cible contient exactement les lignes de la source.")
	for _, s := range []struct {
		name string
		side store.CopySide
	}{{"Source", rep.Source}, {"Cible ", rep.Target}} {
		fmt.Fprintf(w, "%s : %s, %s de journal, %s d'audit : ", s.name, count(s.side.Counters, "poste", "postes"),
			count64(s.side.Entries, "écriture", "écritures"), count64(s.side.AuditEntries, "ligne", "lignes"))
		if s.side.OK() {
			fmt.Fprintln(w, "toutes les chaînes sont intactes.")
			continue
		}
		broken := len(s.side.Broken)
		if s.side.Audit != nil && (s.side.Audit.BrokenAt != 0 || s.side.Audit.Problem != "") {
			broken++
		}
		fmt.Fprintf(w, "%s en défaut.\n", count(broken, "chaîne", "chaînes"))
	}
	if !rep.OK() {
		fmt.Fprintln(w, "ATTENTION : la source a des défauts, copiés tels quels (une copie ne corrige ni ne cache rien) :")
		for _, b := range rep.Source.Broken {
			fmt.Fprintln(w, "  "+strings.ReplaceAll(b, "\n", "\n  "))
		}
		if a := rep.Source.Audit; a != nil && (a.BrokenAt != 0 || a.Problem != "") {
			fmt.Fprintf(w, "  journal d'audit : ligne %d, %s\n", a.BrokenAt, a.Problem)
		}
	}
}

// seconds is a duration as a person reads it, "4,2 s".
func seconds(ms int64) string {
	return strings.Replace(fmt.Sprintf("%.1f s", float64(ms)/1000), ".", ",", 1)
}
