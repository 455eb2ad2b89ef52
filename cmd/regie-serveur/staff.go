package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/backoffice"
	"github.com/regie-fr/regie/server/store"
	"golang.org/x/crypto/bcrypt"
)

// staffCost is bcrypt's cost for the passwords the command sets, the
// back-office's default.
const staffCost = 12

// grantList is a repeatable --grant flag: "admin", "finance" (every
// régie), "regisseur:ENF", "suppleant:ENF", "finance:ENF".
type grantList []store.Grant

func (g *grantList) String() string { return fmt.Sprint(*g) }
func (g *grantList) Set(s string) error {
	role, code, _ := strings.Cut(strings.TrimSpace(s), ":")
	*g = append(*g, store.Grant{Role: role, Regie: strings.ToUpper(code)})
	return nil
}

// adminStaff manages the back-office's accounts from the command line, so
// that the city's IT can create the first administrator; every change is
// in the audit trail under the account "cli", with the same checks as in
// the back-office (one enabled administrator at least).
func adminStaff(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	action, args, ok := sub(args, stderr, "create", "list", "grant", "disable", "enable", "password", "totp-reset")
	if !ok {
		return 2
	}
	fs := flag.NewFlagSet("staff", flag.ContinueOnError)
	resolve := commonFlags(fs, e)
	login := fs.String("login", "", "identifiant du compte")
	name := fs.String("name", "", "prénom et nom")
	email := fs.String("email", "", "adresse électronique")
	pwFile := fs.String("password-file", "", "fichier contenant le mot de passe (sinon un mot de passe provisoire est tiré)")
	org := fs.String("org", "", "organisation du nouveau compte (inutile quand le serveur n'en sert qu'une)")
	revoke := fs.Bool("revoke", false, "avec grant : retire les droits donnés au lieu de les ajouter")
	var grants grantList
	fs.Var(&grants, "grant", "droit : admin, finance, finance:ENF, regisseur:ENF, suppleant:ENF (répétable)")
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
		var list []store.Staff
		err := st.View(ctx, func(tx *store.Tx) error {
			code, err := tx.OrgOr(*org)
			if err != nil {
				return err
			}
			list, err = tx.StaffList(code)
			return err
		})
		if err != nil {
			return o.fail(err)
		}
		views := make([]staffView, len(list))
		for i := range list {
			views[i] = viewStaff(&list[i])
		}
		return o.answer(views, func(w io.Writer) {
			for _, v := range views {
				state := "actif"
				if v.Disabled {
					state = "désactivé"
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", v.Login, v.Name, grantsText(v.Grants), state)
			}
		})
	}
	password, drawn := "", false
	if action == "create" || action == "password" {
		p, err := readStaffPassword(*pwFile, e)
		if err != nil {
			return o.fail(err)
		}
		if password = p; password == "" {
			password, drawn = backoffice.NewPassword(), true
		} else if err := backoffice.CheckPassword(*login, password); err != nil {
			return o.fail(err)
		}
	}
	hash := ""
	if password != "" {
		h, err := bcrypt.GenerateFromPassword([]byte(password), staffCost)
		if err != nil {
			return o.fail(err)
		}
		hash = string(h)
	}
	now := time.Now()
	var saved *store.Staff
	err := st.Update(ctx, func(tx *store.Tx) error {
		s, err := tx.StaffByLogin(*login)
		if err != nil {
			return err
		}
		switch {
		case action == "create" && s != nil:
			return regie.Errorf(regie.EConflict, "Le compte %s existe déjà.", *login)
		case action == "create":
			s = &store.Staff{ID: newID(), Login: *login, Name: *name, Email: *email, Grants: grants, Org: *org}
		case s == nil:
			return regie.Errorf(regie.ENotFound, "Compte inconnu : %s.", *login)
		}
		if s.Org, err = tx.OrgOr(s.Org); err != nil {
			return err
		}
		before := viewStaff(s)
		hadAdmin := tx.CheckAdmins(s.Org) == nil
		switch action {
		case "create", "password":
			s.PasswordHash, s.MustChange, s.Failures, s.LockedUntil = hash, drawn, 0, time.Time{}
		case "grant":
			s.Grants = changeGrants(s.Grants, grants, *revoke)
		case "disable":
			s.Disabled = true
		case "enable":
			s.Disabled = false
		case "totp-reset":
			s.TOTPSecret, s.TOTPPending = "", ""
		}
		if err := tx.SaveStaff(s, now); err != nil {
			return err
		}
		if action != "create" {
			if err := tx.EndStaffSessions(s.ID); err != nil {
				return err
			}
		}
		if err := tx.CheckAdmins(s.Org); err != nil && hadAdmin {
			return err
		}
		saved = s
		detail, err := json.Marshal(map[string]any{"avant": before, "apres": viewStaff(s)})
		if err != nil {
			return err
		}
		return tx.AppendAudit(&store.AuditEntry{At: now, StaffID: "cli", Staff: "cli", Org: s.Org, Action: "staff." + cliActions[action],
			Target: s.Login, Detail: detail, Client: "ligne de commande"})
	})
	if err != nil {
		return o.fail(err)
	}
	v := viewStaff(saved)
	if drawn {
		v.Password = password
	}
	return o.answer(v, func(w io.Writer) {
		fmt.Fprintf(w, "Compte %s enregistré (%s).\n", saved.Login, grantsText(v.Grants))
		if drawn {
			fmt.Fprintf(w, "Mot de passe provisoire, à changer à la première connexion : %s\n", password)
		}
		if action == "create" && len(saved.Grants) == 1 && saved.Grants[0].Role == store.RoleAdmin {
			fmt.Fprintln(w, "Un administrateur configure son second facteur (application TOTP) à sa première connexion.")
		}
	})
}

// cliActions name the audit trail's actions like the back-office's.
var cliActions = map[string]string{"create": "create", "password": "password_reset", "grant": "update",
	"disable": "disable", "enable": "enable", "totp-reset": "totp_reset"}

// changeGrants adds (or removes) grants, without duplicates.
func changeGrants(have, change []store.Grant, revoke bool) []store.Grant {
	out := []store.Grant{}
	for _, g := range have {
		drop := false
		for _, c := range change {
			drop = drop || (revoke && c == g)
		}
		if !drop {
			out = append(out, g)
		}
	}
	if revoke {
		return out
	}
	for _, c := range change {
		dup := false
		for _, g := range out {
			dup = dup || g == c
		}
		if !dup {
			out = append(out, c)
		}
	}
	return out
}

// staffView is an account as --json shows it: never a hash or a secret
// (the provisional password only when it was just drawn).
type staffView struct {
	ID       string        `json:"id"`
	Login    string        `json:"login"`
	Name     string        `json:"name"`
	Email    string        `json:"email"`
	Grants   []store.Grant `json:"grants"`
	Disabled bool          `json:"disabled"`
	TOTP     bool          `json:"totp"`
	OIDC     bool          `json:"oidc"`
	Password string        `json:"password,omitempty"`
}

func viewStaff(s *store.Staff) staffView {
	g := s.Grants
	if g == nil {
		g = []store.Grant{}
	}
	return staffView{ID: s.ID, Login: s.Login, Name: s.Name, Email: s.Email, Grants: g, Disabled: s.Disabled,
		TOTP: s.TOTPSecret != "", OIDC: s.OIDCSubject != ""}
}

func grantsText(gs []store.Grant) string {
	var parts []string
	for _, g := range gs {
		label := backoffice.RoleLabels[g.Role]
		if g.Regie != "" {
			label += " " + g.Regie
		}
		parts = append(parts, label)
	}
	if len(parts) == 0 {
		return "aucun droit"
	}
	return strings.Join(parts, ", ")
}

// readStaffPassword takes a password from a file or the environment
// (REGIE_STAFF_PASSWORD, REGIE_STAFF_PASSWORD_FILE), never from a flag;
// "" when none is given (one is then drawn).
func readStaffPassword(file string, e env) (string, error) {
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return "", err
		}
		return strings.TrimRight(string(data), "\r\n"), nil
	}
	return lookup("REGIE_STAFF_PASSWORD", e.get, nil)
}
