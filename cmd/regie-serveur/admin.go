package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
)

// open resolves the configuration and opens the database for an
// administration command; it prints why it could not.
func open(ctx context.Context, resolve func() (*config, error), stderr io.Writer) (*store.Store, bool) {
	cfg, err := resolve()
	if err != nil {
		fmt.Fprintln(stderr, err)
		return nil, false
	}
	st, err := store.Open(ctx, cfg.DB)
	if err != nil {
		fmt.Fprintf(stderr, "Base %s inutilisable : %v\n", store.Redact(cfg.DB), err)
		return nil, false
	}
	return st, true
}

// report prints a command's error the way a person reads it: the French
// message of a domain error, the technical one otherwise.
func report(stderr io.Writer, err error) int {
	var re *regie.Error
	if errors.As(err, &re) {
		fmt.Fprintln(stderr, re.Message)
	} else {
		fmt.Fprintln(stderr, "Erreur :", err)
	}
	return 1
}

// sub splits "regie create …" into its action and arguments.
func sub(args []string, stderr io.Writer, actions ...string) (string, []string, bool) {
	if len(args) > 0 {
		for _, a := range actions {
			if args[0] == a {
				return a, args[1:], true
			}
		}
	}
	fmt.Fprintf(stderr, "Action attendue : %s\n", strings.Join(actions, ", "))
	return "", nil, false
}

func adminRegie(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	action, args, ok := sub(args, stderr, "create", "update", "list")
	if !ok {
		return 2
	}
	fs := flag.NewFlagSet("regie", flag.ContinueOnError)
	resolve := commonFlags(fs, e)
	code := fs.String("code", "", "code de la régie (ENF)")
	name := fs.String("name", "", "nom")
	address := fs.String("address", "", "adresse")
	modes := fs.String("modes", "", "modes acceptés : cash,check,card,transfer,direct_debit,online,holiday_check,cesu")
	ceiling := fs.String("cash-ceiling", "", "plafond d'encaisse (euros)")
	float := fs.String("float", "", "fonds de caisse (euros)")
	limit := fs.String("cash-limit", "", "limite d'un paiement en espèces (euros, 300 par défaut)")
	days := fs.Int("deposit-days", 0, "périodicité des versements (jours)")
	partial := fs.Bool("partial", false, "paiements partiels acceptés")
	anonymous := fs.Bool("anonymous", false, "ventes sans foyer acceptées")
	tz := fs.String("timezone", "", "fuseau horaire (Europe/Paris)")
	var reasons listFlag
	fs.Var(&reasons, "cancel-reason", "motif d'annulation propre à la régie (répétable ; remplace la liste)")
	defaultReasons := fs.Bool("default-cancel-reasons", false, "revenir à la liste de motifs d'annulation par défaut")
	ibans := fs.String("iban", "", "comptes bancaires de la régie dont les relevés s'importent (IBAN séparés par des virgules ; vide : aucun)")
	payfipClient := fs.String("payfip-client", "", "numéro de client PayFiP (six chiffres ; vide : pas de paiement en ligne)")
	org := fs.String("org", "", "organisation d'une nouvelle régie (inutile quand le serveur n'en sert qu'une)")
	o := outFlags(fs, stdout, stderr)
	if !parse(fs, args, stderr) {
		return 2
	}
	st, ok := open(ctx, resolve, stderr)
	if !ok {
		return 1
	}
	defer st.Close()
	if action == "list" {
		return listRegies(ctx, st, o)
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var saved *regie.Regie
	err := st.Update(ctx, func(tx *store.Tx) error {
		fresh := store.NewRegieSettings(*code)
		r := &fresh
		if action == "update" {
			old, err := tx.Regie(*code)
			if err != nil {
				return err
			} else if old == nil {
				return regie.Errorf(regie.ENotFound, "Régie inconnue : %s.", *code)
			}
			r = old
		}
		for _, m := range []struct {
			flag string
			src  *string
			dst  *regie.Money
		}{{"cash-ceiling", ceiling, &r.CashCeiling}, {"float", float, &r.Float}, {"cash-limit", limit, &r.CashLimit}} {
			if set[m.flag] {
				v, err := regie.ParseMoney(*m.src)
				if err != nil {
					return regie.Errorf(regie.EInvalidAmount, "--%s : %s", m.flag, regie.ErrorMessage(err))
				}
				*m.dst = v
			}
		}
		if set["name"] {
			r.Name = *name
		}
		if set["address"] {
			r.Address = *address
		}
		if set["modes"] {
			r.Modes = nil
			for _, m := range strings.Split(*modes, ",") {
				r.Modes = append(r.Modes, regie.PaymentMode(strings.TrimSpace(m)))
			}
		}
		if set["deposit-days"] {
			r.DepositPeriodDays = *days
		}
		if set["partial"] {
			r.PartialPayments = *partial
		}
		if set["anonymous"] {
			r.AnonymousSales = *anonymous
		}
		if set["timezone"] {
			r.Timezone = *tz
		}
		if set["cancel-reason"] {
			r.CancelReasons = reasons
		} else if *defaultReasons {
			r.CancelReasons = nil
		}
		if set["payfip-client"] {
			r.PayFiPClient = strings.TrimSpace(*payfipClient)
		}
		if set["iban"] {
			r.BankAccounts = nil
			for _, x := range strings.Split(*ibans, ",") {
				if x = regie.NormIBAN(x); x != "" {
					r.BankAccounts = append(r.BankAccounts, x)
				}
			}
		}
		saved = r
		if action == "create" {
			return tx.CreateRegieIn(*org, r)
		}
		if set["org"] {
			return regie.Errorf(regie.EInvalid, "Une régie reste dans son organisation : --org ne sert qu'à la création.")
		}
		return tx.SaveRegie(r, false)
	})
	if err != nil {
		return o.fail(err)
	}
	return o.answer(saved, func(w io.Writer) { fmt.Fprintf(w, "Régie %s enregistrée.\n", *code) })
}

func listRegies(ctx context.Context, st *store.Store, o *out) int {
	rs := []regie.Regie{}
	if err := st.View(ctx, func(tx *store.Tx) (err error) { rs, err = tx.Regies(); return err }); err != nil {
		return o.fail(err)
	}
	if rs == nil {
		rs = []regie.Regie{}
	}
	return o.answer(rs, func(w io.Writer) {
		for _, r := range rs {
			modes := make([]string, len(r.Modes))
			for i, m := range r.Modes {
				modes[i] = string(m)
			}
			fmt.Fprintf(w, "%s\t%s\tmodes %s\tplafond %s\tfonds %s\tversements tous les %d j\n",
				r.Code, r.Name, strings.Join(modes, ","), r.CashCeiling, r.Float, r.DepositPeriodDays)
		}
	})
}

func adminTariff(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	_, args, ok := sub(args, stderr, "set")
	if !ok {
		return 2
	}
	fs := flag.NewFlagSet("tariff", flag.ContinueOnError)
	resolve := commonFlags(fs, e)
	regieCode := fs.String("regie", "", "code de la régie")
	code := fs.String("code", "", "code du tarif")
	label := fs.String("label", "", "libellé")
	category := fs.String("category", "", "catégorie")
	price := fs.String("price", "", "prix (euros)")
	inactive := fs.Bool("inactive", false, "retiré de la vente")
	o := outFlags(fs, stdout, stderr)
	if !parse(fs, args, stderr) {
		return 2
	}
	p, err := regie.ParseMoney(*price)
	if err != nil {
		return o.fail(err)
	}
	st, ok := open(ctx, resolve, stderr)
	if !ok {
		return 1
	}
	defer st.Close()
	it := regie.CatalogueItem{Code: *code, Label: *label, Category: *category, Price: p, Active: !*inactive}
	err = st.Update(ctx, func(tx *store.Tx) error { return tx.SaveItem(*regieCode, &it) })
	if err != nil {
		return o.fail(err)
	}
	return o.answer(struct {
		Regie string `json:"regie"`
		regie.CatalogueItem
	}{*regieCode, it}, func(w io.Writer) { fmt.Fprintf(w, "Tarif %s enregistré : %s.\n", it.Code, it.Price) })
}

// listFlag is a flag given several times, each value kept in order.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ", ") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }
