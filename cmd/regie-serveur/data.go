package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"github.com/regie-fr/regie/server/store"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/exchange"
)

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// importFiles imports households, members and invoices; the whole import is
// refused, with every bad line, when any line is bad.
func importFiles(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	resolve := commonFlags(fs, e)
	enc := fs.String("encoding", exchange.EncodingAuto, "encodage des CSV : auto, utf-8 ou windows-1252")
	org := fs.String("org", "", "organisation des foyers (par défaut : celle des régies des factures, ou la seule)")
	o := outFlags(fs, stdout, stderr)
	if !parse(fs, args, stderr) {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "Indiquez au moins un fichier à importer.")
		return 2
	}
	var files []exchange.File
	for _, name := range fs.Args() {
		data, err := os.ReadFile(name)
		if err != nil {
			return o.fail(regie.Errorf(regie.EInvalid, "Fichier illisible : %v", err))
		}
		files = append(files, exchange.File{Name: filepath.Base(name), Data: data, Encoding: *enc})
	}
	st, ok := open(ctx, resolve, stderr)
	if !ok {
		return 1
	}
	defer st.Close()
	sum, err := exchange.ImportIn(ctx, st, *org, files)
	if err != nil {
		return o.fail(err)
	}
	return o.answer(map[string]int{"households": sum.Households, "members": sum.Members, "invoices": sum.Invoices},
		func(w io.Writer) {
			fmt.Fprintf(w, "Import terminé : %d foyer(s), %d membre(s), %d facture(s).\n", sum.Households, sum.Members, sum.Invoices)
		})
}

// export writes the payments and cancellations received since a day.
func export(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	resolve := commonFlags(fs, e)
	since := fs.String("since", "", "premier jour (AAAA-MM-JJ ou JJ/MM/AAAA), inclus")
	until := fs.String("until", "", "jour de fin, exclu (facultatif)")
	regieCode := fs.String("regie", "", "une seule régie (facultatif)")
	org := fs.String("org", "", "organisation (par défaut : celle de --regie, ou la seule)")
	format := fs.String("format", "csv", "csv ou json")
	enc := fs.String("encoding", exchange.EncodingUTF8, "encodage du CSV : utf-8 ou windows-1252")
	out := fs.String("out", "", "fichier de sortie (sortie standard par défaut)")
	tz := fs.String("timezone", "Europe/Paris", "fuseau des jours et des heures")
	o := outFlags(fs, stdout, stderr)
	if !parse(fs, args, stderr) {
		return 2
	}
	if o.asJSON() && *out == "" {
		// Without --out the movements themselves are on stdout (--format json).
		fmt.Fprintln(stderr, "--json résume un export écrit dans un fichier : indiquez --out FICHIER (ou --format json pour les mouvements eux-mêmes).")
		return 2
	}
	loc, err := time.LoadLocation(*tz)
	if err != nil {
		fmt.Fprintf(stderr, "Fuseau horaire inconnu : %s\n", *tz)
		return 2
	}
	from, ok1 := day(*since, loc)
	to, ok2 := day(*until, loc)
	if *since == "" || !ok1 || !ok2 {
		fmt.Fprintln(stderr, "--since (et --until) : une date AAAA-MM-JJ ou JJ/MM/AAAA.")
		return 2
	}
	st, ok := open(ctx, resolve, stderr)
	if !ok {
		return 1
	}
	defer st.Close()
	ms, err := st.Movements(ctx, from, to, *org, *regieCode)
	if err != nil {
		return o.fail(err)
	}
	w := stdout
	var f *os.File
	if *out != "" {
		if f, err = os.Create(*out); err != nil {
			return o.fail(err)
		}
		w = f
	}
	bw := bufio.NewWriter(w)
	switch strings.ToLower(*format) {
	case "csv":
		err = exchange.WriteCSV(bw, ms, loc, *enc)
	case "json":
		err = exchange.WriteJSON(bw, ms)
	default:
		fmt.Fprintf(stderr, "Format inconnu : %s (csv ou json)\n", *format)
		return 2
	}
	if err == nil {
		err = bw.Flush()
	}
	if f != nil {
		if e := f.Close(); err == nil {
			err = e
		}
	}
	if err != nil {
		return o.fail(err)
	}
	if *out == "" {
		return 0
	}
	return o.answer(map[string]any{"movements": len(ms), "file": *out, "format": strings.ToLower(*format)}, func(w io.Writer) {
		fmt.Fprintf(w, "%d mouvement(s) exporté(s) dans %s.\n", len(ms), *out)
	})
}

// day reads a day as the start of that day in loc; "" is the zero time.
func day(s string, loc *time.Location) (time.Time, bool) {
	if s == "" {
		return time.Time{}, true
	}
	for _, layout := range []string{time.DateOnly, "02/01/2006"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// verify re-checks every counter's journal held by the server — its chain,
// the domain rules each entry must meet, the tables derived from it; it
// exits 1 when anything is wrong.
func verify(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	resolve := commonFlags(fs, e)
	o := outFlags(fs, stdout, stderr)
	if !parse(fs, args, stderr) {
		return 2
	}
	st, ok := open(ctx, resolve, stderr)
	if !ok {
		return 2
	}
	defer st.Close()
	// The result is kept for the back-office's dashboard (chain status).
	reports, err := st.VerifyAndRecord(ctx, time.Now)
	if err != nil {
		fmt.Fprintln(stderr, "Vérification impossible :", err)
		return 2
	}
	type problem struct {
		Seq     int64  `json:"seq"`
		Code    string `json:"code"`
		Message string `json:"message"` // French, as the text report says it
	}
	type chain struct {
		Regie    string    `json:"regie"`
		Counter  string    `json:"counter"`
		Entries  int64     `json:"entries"`
		LastHash string    `json:"last_hash"`
		OK       bool      `json:"ok"`
		Broken   *problem  `json:"broken"` // null when the chain holds
		Problems []problem `json:"problems"`
	}
	// The back-office's audit trail is chained like a journal: a row
	// changed or removed behind the server's back fails the check too.
	var audit *store.AuditReport
	if err := st.View(ctx, func(tx *store.Tx) (err error) {
		audit, err = tx.VerifyAudit()
		return err
	}); err != nil {
		fmt.Fprintln(stderr, "Vérification impossible :", err)
		return 2
	}
	doc := struct {
		OK       bool               `json:"ok"`
		Broken   int                `json:"broken"`
		Counters []chain            `json:"counters"`
		Audit    *store.AuditReport `json:"audit"`
	}{Counters: []chain{}, Audit: audit}
	for _, r := range reports {
		c := chain{Regie: r.Regie, Counter: r.Counter, Entries: r.Entries, LastHash: r.LastHash, OK: r.OK(), Problems: []problem{}}
		if r.Broken != nil {
			c.Broken = &problem{r.Broken.Seq, string(regie.EChainBroken), r.Broken.Motif}
		}
		for _, p := range r.Problems {
			c.Problems = append(c.Problems, problem{p.Seq, p.Code, p.Message})
		}
		if !c.OK {
			doc.Broken++
		}
		doc.Counters = append(doc.Counters, c)
	}
	doc.OK = doc.Broken == 0 && audit.BrokenAt == 0
	o.answer(doc, func(w io.Writer) {
		for _, r := range reports {
			fmt.Fprintln(w, r)
		}
		if audit.BrokenAt != 0 {
			fmt.Fprintf(w, "Journal d'audit ROMPU à l'entrée n° %d (%s) : il a été modifié en dehors du serveur.\n", audit.BrokenAt, audit.Problem)
		} else {
			fmt.Fprintf(w, "Journal d'audit : %d entrée(s), chaîne intacte.\n", audit.Entries)
		}
		if doc.Broken > 0 {
			fmt.Fprintf(w, "%d journal(aux) rompu(s) ou en anomalie sur %d.\n", doc.Broken, len(reports))
		} else {
			fmt.Fprintf(w, "%d journal(aux) vérifié(s) : tout est intact.\n", len(reports))
		}
	})
	if !doc.OK {
		return 1
	}
	return 0
}
