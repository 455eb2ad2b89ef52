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
	o := outFlags(fs, stdout, stderr)
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
	var rows []counterRow
	if action == "list" {
		err = st.View(ctx, func(tx *store.Tx) (err error) { rows, err = counterRows(tx); return err })
	} else {
		err = st.Update(ctx, func(tx *store.Tx) error {
			switch action {
			case "create":
				_, err := tx.CreateCounter(regie.Counter{Code: *code, Regie: *regieCode, Name: *name}, credential.HashEnrolCode(enrol), now.Add(store.EnrolValidity), now)
				return err
			case "code":
				return tx.NewEnrolCode(*regieCode, *code, credential.HashEnrolCode(enrol), now.Add(store.EnrolValidity))
			}
			return tx.RevokeCounter(*regieCode, *code, now)
		})
	}
	if err != nil {
		return o.fail(err)
	}
	switch action {
	case "list":
		return o.answer(rows, func(w io.Writer) {
			for _, r := range rows {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d entrée(s) reçue(s)\n", r.Regie, r.Counter, r.Name, stateLabels[r.State], r.Entries)
			}
		})
	case "revoke":
		return o.answer(map[string]any{"regie": *regieCode, "counter": *code, "revoked": true}, func(w io.Writer) {
			fmt.Fprintf(w, "Poste %s de la régie %s révoqué : le serveur refuse désormais ses envois.\n", *code, *regieCode)
		})
	}
	expires := now.Add(store.EnrolValidity)
	return o.answer(struct {
		Regie     string    `json:"regie"`
		Counter   string    `json:"counter"`
		Code      string    `json:"code"`
		ExpiresAt time.Time `json:"expires_at"`
	}{*regieCode, *code, enrol, expires.UTC().Truncate(time.Second)}, func(w io.Writer) {
		fmt.Fprintf(w, "Code d'enrôlement du poste %s de la régie %s (valable jusqu'au %s, une seule fois) :\n\n    %s\n\n",
			*code, *regieCode, expires.Format("02/01/2006 15:04"), enrol)
		fmt.Fprintln(w, "Saisissez-le dans Paramètres > Synchronisation du poste. Il n'est affiché qu'une fois.")
	})
}

// counterRow is a counter as "counter list" shows it: its state and how
// much of its journal the server holds.
type counterRow struct {
	Regie   string `json:"regie"`
	Counter string `json:"counter"`
	Name    string `json:"name"`
	State   string `json:"state"` // pending (not enrolled yet), enrolled or revoked
	Entries int64  `json:"entries"`
}

var stateLabels = map[string]string{"pending": "en attente d'enrôlement", "enrolled": "enrôlé", "revoked": "révoqué"}

// counterRows reads every counter with its state and last seq.
func counterRows(tx *store.Tx) ([]counterRow, error) {
	cs, err := tx.Counters()
	if err != nil {
		return nil, err
	}
	rows := []counterRow{}
	for _, c := range cs {
		state := "pending"
		switch {
		case c.Revoked:
			state = "revoked"
		case c.Enrolled:
			state = "enrolled"
		}
		seq, _, _, err := tx.Head(c.ID)
		if err != nil {
			return nil, err
		}
		rows = append(rows, counterRow{c.Regie, c.Code, c.Name, state, seq})
	}
	return rows, nil
}
