package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/app/store"
)

// statusReport is what `status` tells, with English keys for scripts.
type statusReport struct {
	Regie   string `json:"regie"`
	Counter string `json:"counter"`
	Today   string `json:"today"`
	Till    struct {
		Open         bool        `json:"open"`
		Day          string      `json:"day,omitempty"`
		SessionID    string      `json:"session_id,omitempty"`
		ExpectedCash regie.Money `json:"expected_cash"`
		ChecksHeld   int         `json:"checks_held"`
	} `json:"till"`
	Journal struct {
		LastSeq  int64 `json:"last_seq"`
		AckedSeq int64 `json:"acked_seq"`
		Pending  int   `json:"pending"`
	} `json:"journal"`
	Server     string `json:"server,omitempty"`
	LastSync   string `json:"last_sync,omitempty"`
	VerifiedTo int64  `json:"verified_seq"`
	VerifiedAt string `json:"verified_at,omitempty"`
}

// status prints where a counter file stands without opening a window:
// till, entries the server has not acknowledged, last sync, last
// verified entry. It reads only.
func status(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "fichier de caisse")
	asJSON := fs.Bool("json", false, "sortie JSON (clés en anglais) pour les scripts")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *db == "" || fs.NArg() > 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	st, ok := openExisting(ctx, *db, stderr)
	if !ok {
		return 2
	}
	defer st.Close()
	r, err := readStatus(ctx, st)
	if err != nil {
		fmt.Fprintf(stderr, "Impossible de lire l'état du poste : %s (%v)\n", regie.ErrorMessage(err), err)
		return 2
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(r)
		return 0
	}
	printStatus(stdout, r)
	return 0
}

func readStatus(ctx context.Context, st *store.Store) (*statusReport, error) {
	c, err := counter(ctx, st, false)
	if err != nil {
		return nil, err
	}
	r := &statusReport{}
	if reg, desk, err := c.Settings(ctx); err == nil {
		r.Regie, r.Counter = reg.Code, desk.Code
	}
	till, err := c.Till(ctx)
	if err != nil {
		return nil, err
	}
	r.Today = till.Today
	if till.Session != nil {
		r.Till.Open, r.Till.Day, r.Till.SessionID = till.Open, till.Session.Day, till.Session.ID
	}
	if h, err := c.Holdings(ctx); err == nil {
		r.Till.ExpectedCash, r.Till.ChecksHeld = h.CashInTill, len(h.Checks)
	}
	var p app.SyncPoint
	if p, err = c.SyncPoint(ctx); err != nil {
		return nil, err
	}
	r.Journal.LastSeq, r.Journal.AckedSeq, r.Journal.Pending, r.Server = p.Last, p.Acked, p.Pending(), p.Server
	err = st.View(ctx, func(tx *store.Tx) (err error) {
		if r.LastSync, err = tx.LastSync(); err != nil {
			return err
		}
		r.VerifiedTo, r.VerifiedAt, err = tx.Verified()
		return err
	})
	return r, err
}

func printStatus(w io.Writer, r *statusReport) {
	fmt.Fprintf(w, "Poste : %s — régie %s — aujourd'hui %s\n", orDash(r.Counter), orDash(r.Regie), frDay(r.Today))
	switch {
	case r.Till.Open:
		fmt.Fprintf(w, "Caisse : ouverte, journée du %s — espèces attendues : %s — chèques en caisse : %d\n",
			frDay(r.Till.Day), r.Till.ExpectedCash, r.Till.ChecksHeld)
	case r.Till.Day != "":
		fmt.Fprintf(w, "Caisse : fermée (dernière journée clôturée : %s) — espèces : %s — chèques en caisse : %d\n",
			frDay(r.Till.Day), r.Till.ExpectedCash, r.Till.ChecksHeld)
	default:
		fmt.Fprintln(w, "Caisse : jamais ouverte")
	}
	fmt.Fprintf(w, "Journal : %d entrées — %d reçues par le serveur — %d en attente d'envoi\n",
		r.Journal.LastSeq, r.Journal.AckedSeq, r.Journal.Pending)
	if r.Server == "" {
		fmt.Fprintln(w, "Serveur : poste non enrôlé")
	} else {
		fmt.Fprintf(w, "Serveur : %s — dernière synchronisation : %s\n", r.Server, frInstant(r.LastSync, "jamais"))
	}
	if r.VerifiedTo == 0 {
		fmt.Fprintln(w, "Vérification au démarrage : pas encore faite")
	} else {
		fmt.Fprintf(w, "Vérification au démarrage : fichier intègre jusqu'à l'entrée n° %d (%s)\n", r.VerifiedTo, frInstant(r.VerifiedAt, "?"))
	}
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func frDay(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return orDash(day)
	}
	return t.Format("02/01/2006")
}

// frInstant shows a stored UTC instant in the local time of this machine.
func frInstant(at, none string) string {
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return none
	}
	return t.Local().Format("02/01/2006 à 15:04:05")
}
