package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/regie-fr/regie/server/store"
)

// retentionMonths reads REGIE_PORTAL_RETENTION_MONTHS: how many months
// without activity a citizen's portal account is kept (24 by default),
// from 1 to 120.
func retentionMonths(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return store.DefaultRetentionMonths, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 120 {
		return 0, fmt.Errorf("REGIE_PORTAL_RETENTION_MONTHS : un nombre de mois de 1 à 120 est attendu, pas %q.", s)
	}
	return n, nil
}

// purge deletes the portal data of citizens inactive for the retention
// period (links, visits) and old failed linking attempts. Payments and
// journals are never purged: they are the régie's accounts.
func purge(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("purge", flag.ContinueOnError)
	resolve := commonFlags(fs, e)
	o := outFlags(fs, stdout, stderr)
	months := fs.String("months", "", "mois d'inactivité après lesquels un compte du portail est effacé (REGIE_PORTAL_RETENTION_MONTHS, 24 par défaut)")
	if !parse(fs, args, stderr) {
		return 2
	}
	cfg, err := resolve()
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	if *months != "" {
		cfg.PortalRetentionMonths = *months
	}
	n, err := retentionMonths(cfg.PortalRetentionMonths)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	st, ok := open(ctx, func() (*config, error) { return cfg, nil }, stderr)
	if !ok {
		return 2
	}
	defer st.Close()
	got, err := st.Retention(n).Purge(ctx, time.Now())
	if err != nil {
		return o.fail(err)
	}
	type result struct {
		Months int `json:"months"`
		store.Purged
	}
	return o.answer(result{Months: n, Purged: *got}, func(w io.Writer) {
		fmt.Fprintf(w, "Portail : %s sans activité depuis %d mois effacé%s (%s, %s) ; %s de rattachement de plus d'un jour effacé%s.\n",
			count(got.Accounts, "compte", "comptes"), n, pluralS(got.Accounts), count(got.Links, "lien vers un foyer", "liens vers des foyers"),
			count(got.Visits, "visite", "visites"), count(got.Failures, "essai manqué", "essais manqués"), pluralS(got.Failures))
		fmt.Fprintln(w, "Paiements, annulations, clôtures et journaux des postes sont conservés : ce sont les comptes de la régie et leurs pièces justificatives.")
	})
}

// count is "0 compte", "1 compte", "3 comptes" (French counts 0 and 1
// singular).
func count(n int, one, many string) string {
	if n > 1 {
		return strconv.Itoa(n) + " " + many
	}
	return strconv.Itoa(n) + " " + one
}

func pluralS(n int) string {
	if n > 1 {
		return "s"
	}
	return ""
}

// purgeChore is the purge as a chore of serve (chores.go), with the
// configured retention: once a day, it deletes what the retention lets go
// and logs how many rows, never whose.
func purgeChore(st *store.Store, months int) chore {
	return chore{"purge inactive portal accounts", 24 * time.Hour, func(ctx context.Context, now time.Time) (int, error) {
		got, err := st.Retention(months).Purge(ctx, now)
		if err != nil {
			return 0, err
		}
		return got.Links + got.Visits + got.Failures, nil
	}}
}
