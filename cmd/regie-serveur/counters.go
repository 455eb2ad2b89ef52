package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/credential"
	"github.com/regie-fr/regie/server/store"
)

// enrolValidity is how long an enrolment code can be used.
const enrolValidity = 7 * 24 * time.Hour

func adminCounter(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	action, args, ok := sub(args, stderr, "create", "code", "revoke", "list")
	if !ok {
		return 2
	}
	fs := flag.NewFlagSet("counter", flag.ContinueOnError)
	resolve := commonFlags(fs, e)
	regieCode := fs.String("regie", "", "code de la régie")
	code := fs.String("code", "", "code du poste (C01)")
	name := fs.String("name", "", "nom du poste")
	if !parse(fs, args, stderr) {
		return 2
	}
	st, ok := open(ctx, resolve, stderr)
	if !ok {
		return 1
	}
	defer st.Close()
	now := time.Now()
	enrol := credential.NewEnrolCode()
	var err error
	if action == "list" {
		err = st.View(ctx, func(tx *store.Tx) error { return listCounters(tx, stdout) })
	} else {
		err = st.Update(ctx, func(tx *store.Tx) error {
			switch action {
			case "create":
				_, err := tx.CreateCounter(regie.Counter{Code: *code, Regie: *regieCode, Name: *name}, credential.HashEnrolCode(enrol), now.Add(enrolValidity), now)
				return err
			case "code":
				return tx.NewEnrolCode(*regieCode, *code, credential.HashEnrolCode(enrol), now.Add(enrolValidity))
			}
			return tx.RevokeCounter(*regieCode, *code, now)
		})
	}
	if err != nil {
		return report(stderr, err)
	}
	switch action {
	case "create", "code":
		fmt.Fprintf(stdout, "Code d'enrôlement du poste %s de la régie %s (valable jusqu'au %s, une seule fois) :\n\n    %s\n\n",
			*code, *regieCode, now.Add(enrolValidity).Format("02/01/2006 15:04"), enrol)
		fmt.Fprintln(stdout, "Saisissez-le dans Paramètres > Synchronisation du poste. Il n'est affiché qu'une fois.")
	case "revoke":
		fmt.Fprintf(stdout, "Poste %s de la régie %s révoqué : le serveur refuse désormais ses envois.\n", *code, *regieCode)
	}
	return 0
}

// listCounters prints every counter, its state and how much of its journal
// the server holds.
func listCounters(tx *store.Tx, stdout io.Writer) error {
	cs, err := tx.Counters()
	if err != nil {
		return err
	}
	for _, c := range cs {
		state := "en attente d'enrôlement"
		switch {
		case c.Revoked:
			state = "révoqué"
		case c.Enrolled:
			state = "enrôlé"
		}
		seq, _, _, err := tx.Head(c.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s\t%s\t%s\t%s\t%d entrée(s) reçue(s)\n", c.Regie, c.Code, c.Name, state, seq)
	}
	return nil
}
