package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
)

// orgJSON is an organisation as the commands print it.
type orgJSON struct {
	Code      string     `json:"code"`
	Name      string     `json:"name"`
	Host      string     `json:"host"`
	Look      store.Look `json:"look"`
	Regies    []string   `json:"regies"`
	CreatedAt time.Time  `json:"created_at"`
}

// adminOrganisation manages the organisations (cities) a server serves:
// create one, change its name, its portal's address (host) and its look,
// list them. An organisation's code never changes: its régies, households
// and staff name it.
func adminOrganisation(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	action, args, ok := sub(args, stderr, "create", "set", "list")
	if !ok {
		return 2
	}
	fs := flag.NewFlagSet("organisation", flag.ContinueOnError)
	resolve := commonFlags(fs, e)
	code := fs.String("code", "", "code de l'organisation (ville-a : minuscules, chiffres, tirets)")
	name := fs.String("name", "", "nom de la ville tel que les usagers le lisent (Ville de Montaigu)")
	host := fs.String("host", "", "adresse du portail et de la gestion (paiements.montaigu.fr ; vide : aucune)")
	color := fs.String("color", "", "couleur principale (#1d4f91 ; vide : celle du portail)")
	header := fs.String("header", "", "nom affiché dans l'en-tête, s'il diffère du nom")
	logo := fs.String("logo", "", "chemin du logo sur l'adresse de l'organisation (/logo.png)")
	o := outFlags(fs, stdout, stderr)
	if !parse(fs, args, stderr) {
		return 2
	}
	if action != "list" && *code == "" {
		fmt.Fprintln(stderr, "Indiquez l'organisation : --code ville-a")
		return 2
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	st, ok := open(ctx, resolve, stderr)
	if !ok {
		return 1
	}
	defer st.Close()
	if action == "list" {
		return listOrganisations(ctx, st, o)
	}
	var saved *store.Organisation
	err := st.Update(ctx, func(tx *store.Tx) error {
		org := &store.Organisation{Code: *code}
		if action == "set" {
			old, err := tx.Organisation(*code)
			if err != nil {
				return err
			} else if old == nil {
				return regie.Errorf(regie.ENotFound, "Organisation inconnue : %s.", *code)
			}
			org = old
		}
		for _, f := range []struct {
			flag     string
			src, dst *string
		}{{"name", name, &org.Name}, {"host", host, &org.Host}, {"color", color, &org.Look.Color},
			{"header", header, &org.Look.Header}, {"logo", logo, &org.Look.Logo}} {
			if set[f.flag] {
				*f.dst = *f.src
			}
		}
		saved = org
		if action == "create" {
			return tx.CreateOrganisation(org)
		}
		return tx.SaveOrganisation(org)
	})
	if err != nil {
		return o.fail(err)
	}
	return o.answer(toOrgJSON(saved, nil), func(w io.Writer) { fmt.Fprintf(w, "Organisation %s enregistrée.\n", saved.Code) })
}

func toOrgJSON(o *store.Organisation, regies []string) orgJSON {
	if regies == nil {
		regies = []string{}
	}
	return orgJSON{Code: o.Code, Name: o.Name, Host: o.Host, Look: o.Look, Regies: regies, CreatedAt: o.CreatedAt}
}

func listOrganisations(ctx context.Context, st *store.Store, o *out) int {
	list := []orgJSON{}
	err := st.View(ctx, func(tx *store.Tx) error {
		orgs, err := tx.Organisations()
		if err != nil {
			return err
		}
		for i := range orgs {
			regies, err := tx.OrgRegies(orgs[i].Code)
			if err != nil {
				return err
			}
			list = append(list, toOrgJSON(&orgs[i], regies))
		}
		return nil
	})
	if err != nil {
		return o.fail(err)
	}
	return o.answer(list, func(w io.Writer) {
		for _, x := range list {
			name, host := x.Name, x.Host
			if name == "" {
				name = "(sans nom : le portail affiche REGIE_CITY)"
			}
			if host == "" {
				host = "(aucune adresse)"
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%d régie(s)\n", x.Code, name, host, len(x.Regies))
		}
	})
}
