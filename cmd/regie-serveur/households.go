package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/google/uuid"

	"github.com/regie-fr/regie/server/portal"
	"github.com/regie-fr/regie/server/store"
)

// adminHousehold is what the régisseur does about who sees a household on
// the portal: print a one-time linking slip (after checking an identity
// document, for a citizen whose FranceConnect identity does not match an
// adult of the household), list who is linked, and unlink someone.
func adminHousehold(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	action, args, ok := sub(args, stderr, "slip", "links", "unlink")
	if !ok {
		return 2
	}
	fs := flag.NewFlagSet("household", flag.ContinueOnError)
	resolve := commonFlags(fs, e)
	account := fs.String("account", "", "compte du foyer (F001001)")
	org := fs.String("org", "", "organisation du foyer (inutile quand le serveur n'en sert qu'une)")
	asJSON := fs.Bool("json", false, "sortie JSON, pour les scripts")
	document := fs.String("document", "", "pièce d'identité vérifiée (slip)")
	subject := fs.String("subject", "", "identifiant FranceConnect de la personne à délier (unlink)")
	name := fs.String("name", "", "nom de la personne à délier, tel que FranceConnect l'a transmis (unlink)")
	if !parse(fs, args, stderr) {
		return 2
	}
	if *account == "" {
		fmt.Fprintln(stderr, "Indiquez le compte du foyer : --account F001001")
		return 2
	}
	if action == "unlink" && (*subject == "") == (*name == "") {
		fmt.Fprintln(stderr, "Indiquez la personne à délier : --subject IDENTIFIANT ou --name \"Prénom Nom\" (l'un ou l'autre).")
		return 2
	}
	st, ok := open(ctx, resolve, stderr)
	if !ok {
		return 1
	}
	defer st.Close()
	now := time.Now()
	var out any
	var text func()
	err := st.Update(ctx, func(t *store.Tx) error {
		switch action {
		case "slip":
			doc := *document
			if doc == "" {
				doc = "vérifiée par le régisseur"
			}
			s, err := t.CreateLinkSlip(store.SlipRequest{ID: uuid.NewString(), Account: *account, Org: *org, Agent: "regie-serveur",
				Document: doc, At: now})
			if err != nil {
				return err
			}
			out = map[string]any{"id": s.ID, "household_id": s.HouseholdID, "account": s.Account,
				"household_name": s.HouseholdName, "code": s.Code, "expires_at": s.ExpiresAt}
			text = func() {
				fmt.Fprintf(stdout, "Code de rattachement du foyer %s (%s) : %s\nÀ saisir une seule fois sur le portail, avant le %s.\n",
					s.Account, s.HouseholdName, s.Code, s.ExpiresAt.In(paris()).Format("02/01/2006 à 15:04"))
			}
		case "links":
			people, err := t.LinksOfAccount(*org, *account)
			if err != nil {
				return err
			}
			out, text = linkedJSON(people), func() { printLinked(stdout, *account, people) }
		case "unlink":
			ended, err := t.UnlinkBy(*org, *account, *subject, *name, "regisseur", now)
			if err != nil {
				return err
			}
			out = linkedJSON(ended)
			text = func() {
				for _, p := range ended {
					fmt.Fprintf(stdout, "%s (%s) n'a plus accès au foyer %s.\n", orName(p.Name), p.Subject, *account)
				}
			}
		}
		return nil
	})
	if err != nil {
		return report(stderr, err)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(out)
	} else {
		text()
	}
	return 0
}

func linkedJSON(people []portal.LinkedPerson) []map[string]any {
	out := []map[string]any{}
	for _, p := range people {
		out = append(out, map[string]any{"subject": p.Subject, "name": p.Name, "linked_at": p.LinkedAt})
	}
	return out
}

func printLinked(w io.Writer, account string, people []portal.LinkedPerson) {
	if len(people) == 0 {
		fmt.Fprintf(w, "Personne n'est lié au foyer %s.\n", account)
		return
	}
	for _, p := range people {
		fmt.Fprintf(w, "%s\t%s\tlié le %s\n", orName(p.Name), p.Subject, p.LinkedAt.In(paris()).Format("02/01/2006 à 15:04"))
	}
}

func orName(n string) string {
	if n == "" {
		return "(nom inconnu)"
	}
	return n
}

// paris is the time zone dates are printed in.
func paris() *time.Location {
	l, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return time.UTC
	}
	return l
}
