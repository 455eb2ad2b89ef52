package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/server/store"
)

func adminAgent(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	action, args, ok := sub(args, stderr, "create", "update", "list")
	if !ok {
		return 2
	}
	fs := flag.NewFlagSet("agent", flag.ContinueOnError)
	resolve := commonFlags(fs, e)
	regieCode := fs.String("regie", "", "code de la régie")
	login := fs.String("login", "", "identifiant de connexion")
	name := fs.String("name", "", "nom affiché")
	role := fs.String("role", "", "regisseur, suppleant ou mandataire")
	pinFile := fs.String("pin-file", "", "fichier contenant le code (PIN)")
	disable := fs.Bool("disable", false, "empêche l'agent de se connecter")
	enable := fs.Bool("enable", false, "autorise à nouveau l'agent")
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
		var as []regie.Agent
		if err := st.View(ctx, func(tx *store.Tx) (err error) { as, err = tx.Agents(*regieCode); return err }); err != nil {
			return o.fail(err)
		}
		views := make([]agentView, len(as))
		for i, a := range as {
			views[i] = viewAgent(*regieCode, a)
		}
		return o.answer(views, func(w io.Writer) {
			for _, a := range as {
				state := "actif"
				if !a.Active {
					state = "désactivé"
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", a.Login, a.Name, a.Role.Label(), state)
			}
		})
	}
	pin, err := readPIN(*pinFile, action == "create", e)
	if err != nil {
		return o.fail(err)
	}
	var hash string
	if pin != "" {
		if hash, err = app.HashPIN(pin); err != nil {
			return o.fail(err)
		}
	}
	var saved regie.Agent
	err = st.Update(ctx, func(tx *store.Tx) error {
		if action == "create" {
			a := regie.Agent{ID: newID(), Login: *login, Name: *name, Role: regie.Role(*role), PINHash: hash, Active: !*disable}
			saved = a
			return tx.CreateAgent(*regieCode, &saved)
		}
		old, err := tx.AgentByLogin(*regieCode, *login)
		if err != nil {
			return err
		} else if old == nil {
			return regie.Errorf(regie.EAgentNotFound, "Agent inconnu : %s.", *login)
		}
		a := *old
		a.PINHash = hash
		if *name != "" {
			a.Name = *name
		}
		if *role != "" {
			a.Role = regie.Role(*role)
		}
		if *disable {
			a.Active = false
		} else if *enable {
			a.Active = true
		}
		saved = a
		return tx.UpdateAgent(*regieCode, &saved)
	})
	if err != nil {
		return o.fail(err)
	}
	return o.answer(viewAgent(*regieCode, saved), func(w io.Writer) {
		fmt.Fprintf(w, "Agent %s enregistré ; les postes le recevront à leur prochaine synchronisation.\n", *login)
	})
}

// agentView is an agent as --json shows it: never its PIN's hash.
type agentView struct {
	Regie  string     `json:"regie"`
	ID     string     `json:"id"`
	Login  string     `json:"login"`
	Name   string     `json:"name"`
	Role   regie.Role `json:"role"`
	Active bool       `json:"active"`
}

func viewAgent(regieCode string, a regie.Agent) agentView {
	return agentView{regieCode, a.ID, a.Login, a.Name, a.Role, a.Active}
}

// readPIN takes the agent's PIN from a file, the environment
// (REGIE_AGENT_PIN, REGIE_AGENT_PIN_FILE) or the first line of the standard
// input — never from a flag, which would leave it in the shell's history.
func readPIN(file string, required bool, e env) (string, error) {
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return "", err
		}
		return strings.TrimRight(string(data), "\r\n"), nil
	}
	if v, err := lookup("REGIE_AGENT_PIN", e.get, nil); err != nil || v != "" {
		return v, err
	}
	if !required || e.stdin == nil {
		return "", nil
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", regie.Errorf(regie.EInvalid, "Code (PIN) attendu sur l'entrée standard.")
	}
	return strings.TrimRight(line, "\r\n"), nil
}
