package backoffice

import (
	"crypto/rand"
	"math/big"
	"net/http"
	"strings"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/server/store"
	"golang.org/x/crypto/bcrypt"
)

// agentRoles are the roles an agent can have at the counter.
var agentRoles = []regie.Role{regie.RoleRegisseur, regie.RoleSuppleant, regie.RoleMandataire}

// agentForm is an agent as typed: a new one, or an existing one's name and
// role, and the PIN (typed twice, or drawn by the server and shown once).
type agentForm struct {
	Regie       *regie.Regie
	New         bool
	Login, Name string
	Role        string
	Active      bool
	Generate    bool
	Roles       []regie.Role
	Errors      fieldErrors
	// pin is the new PIN in clear, kept only to show a drawn one once.
	pin string
}

// generatedPIN is shown once on the page that follows its drawing.
type generatedPIN struct {
	Regie *regie.Regie
	Login string
	PIN   string
}

func (b *Backoffice) agentForm(w http.ResponseWriter, v *visit, status int, f *agentForm) {
	f.Roles = agentRoles
	title := "Nouvel agent de la régie " + f.Regie.Code
	if !f.New {
		title = "Agent " + f.Login
	}
	view := b.newView(v, title, "regies", f)
	view.Error = formMessage(f.Errors)
	b.render(w, status, "manage_agent_form", view)
}

func (b *Backoffice) newAgentPage(w http.ResponseWriter, r *http.Request, v *visit) {
	if reg := b.managedRegie(w, r, v); reg != nil {
		b.agentForm(w, v, http.StatusOK, &agentForm{Regie: reg, New: true, Role: string(regie.RoleMandataire), Active: true})
	}
}

// agentPage is an agent's form: name and role, PIN, state.
func (b *Backoffice) agentPage(w http.ResponseWriter, r *http.Request, v *visit) {
	reg := b.managedRegie(w, r, v)
	if reg == nil {
		return
	}
	a := b.managedAgent(w, r, v, reg)
	if a == nil {
		return
	}
	f := &agentForm{Regie: reg, Login: a.Login, Name: a.Name, Role: string(a.Role), Active: a.Active}
	b.agentForm(w, v, http.StatusOK, f)
}

// managedAgent is the agent named by the address, 404 when unknown.
func (b *Backoffice) managedAgent(w http.ResponseWriter, r *http.Request, v *visit, reg *regie.Regie) *regie.Agent {
	var a *regie.Agent
	err := b.st.View(r.Context(), func(tx *store.Tx) (err error) { a, err = tx.AgentByLogin(reg.Code, r.PathValue("agent")); return err })
	if err != nil {
		b.internal(w, r, v, "agent", err)
		return nil
	}
	if a == nil {
		b.notFound(w, r)
	}
	return a
}

// readPIN reads the PIN fields: typed twice (and equal), or to be drawn.
// It returns the PIN, or "" with an error added.
func readPIN(r *http.Request, f *agentForm) string {
	f.Generate = r.PostForm.Get("generate") == "1"
	pin, again := r.PostForm.Get("pin"), r.PostForm.Get("pin_again")
	switch {
	case f.Generate && (pin != "" || again != ""):
		f.Errors.add("pin", "Tapez un code ou demandez d'en tirer un, pas les deux.")
	case f.Generate:
		return drawPIN()
	case pin == "":
		f.Errors.add("pin", "Tapez le code deux fois, ou cochez « Tirer un code au hasard ».")
	case pin != again:
		f.Errors.add("pin_again", "Les deux codes tapés diffèrent.")
	case len(pin) < 4 || len(pin) > 72:
		f.Errors.add("pin", "Le code doit comporter entre 4 et 72 caractères.")
	default:
		return pin
	}
	return ""
}

// drawPIN is a random 6-digit PIN.
func drawPIN() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		panic(err) // crypto/rand never fails on a supported system
	}
	s := n.String()
	return strings.Repeat("0", 6-len(s)) + s
}

// createAgent adds an agent with their PIN, hashed as the command line
// does; a drawn PIN is shown once.
func (b *Backoffice) createAgent(w http.ResponseWriter, r *http.Request, v *visit) {
	reg := b.managedRegie(w, r, v)
	if reg == nil {
		return
	}
	r.ParseForm()
	f := &agentForm{Regie: reg, New: true, Login: strings.TrimSpace(r.PostForm.Get("login")),
		Name: strings.TrimSpace(r.PostForm.Get("name")), Role: r.PostForm.Get("role"), Active: true, Errors: fieldErrors{}}
	readAgentFields(f)
	pin := readPIN(r, f)
	if err := store.CheckAgent(&regie.Agent{Login: f.Login, Name: f.Name}); err != nil && f.Login != "" && f.Name != "" {
		msg, _ := domainMessage(err)
		f.Errors.add("", msg)
	}
	if len(f.Errors) > 0 {
		b.agentForm(w, v, http.StatusBadRequest, f)
		return
	}
	hash, err := app.HashPINCost(pin, b.pinCost())
	if err != nil {
		b.internal(w, r, v, "hash pin", err)
		return
	}
	a := regie.Agent{Login: f.Login, Name: f.Name, Role: regie.Role(f.Role), PINHash: hash, Active: true}
	err = b.st.Update(r.Context(), func(tx *store.Tx) error {
		if err := tx.CreateAgent(reg.Code, &a); err != nil {
			return err
		}
		return b.audit(tx, v, "agent.create", reg.Code, a.Login, changes(nil, &a))
	})
	if !b.formSaved(w, r, v, err, f.Errors, func() { b.agentForm(w, v, http.StatusBadRequest, f) }) {
		return
	}
	b.afterPIN(w, r, v, reg, a.Login, pin, f.Generate, "agent")
}

// readAgentFields checks the name and role (the login only on creation);
// the store checks them again, for the command line too.
func readAgentFields(f *agentForm) {
	if f.New && f.Login == "" {
		f.Errors.add("login", "Indiquez l'identifiant de connexion de l'agent.")
	}
	if f.Name == "" {
		f.Errors.add("name", "Indiquez le nom de l'agent.")
	}
	switch regie.Role(f.Role) {
	case regie.RoleRegisseur, regie.RoleSuppleant, regie.RoleMandataire:
	default:
		f.Errors.add("role", "Choisissez le rôle de l'agent dans la liste.")
	}
}

// afterPIN shows a drawn PIN once, or goes back to the régie.
func (b *Backoffice) afterPIN(w http.ResponseWriter, r *http.Request, v *visit, reg *regie.Regie, login, pin string, drawn bool, notice string) {
	if drawn {
		w.Header().Set("Cache-Control", "no-store")
		b.render(w, http.StatusOK, "manage_agent_pin", b.newView(v, "Code de l'agent "+login, "regies",
			&generatedPIN{Regie: reg, Login: login, PIN: pin}))
		return
	}
	http.Redirect(w, r, Prefix+"/regies/"+reg.Code+"?ok="+notice, http.StatusSeeOther)
}

// updateAgent changes an agent's name and role.
func (b *Backoffice) updateAgent(w http.ResponseWriter, r *http.Request, v *visit) {
	b.changeAgent(w, r, v, "agent.update", func(f *agentForm, a *regie.Agent) {
		f.Name, f.Role = strings.TrimSpace(r.PostForm.Get("name")), r.PostForm.Get("role")
		readAgentFields(f)
		a.Name, a.Role = f.Name, regie.Role(f.Role)
	})
}

// agentPIN gives an agent a new PIN.
func (b *Backoffice) agentPIN(w http.ResponseWriter, r *http.Request, v *visit) {
	b.changeAgent(w, r, v, "agent.pin", func(f *agentForm, a *regie.Agent) {
		if pin := readPIN(r, f); pin != "" {
			hash, err := app.HashPINCost(pin, b.pinCost())
			if err != nil {
				f.Errors.add("pin", "Le code doit comporter entre 4 et 72 caractères.")
				return
			}
			a.PINHash, f.pin = hash, pin
		}
	})
}

// agentState disables or enables an agent at every counter.
func (b *Backoffice) agentState(w http.ResponseWriter, r *http.Request, v *visit) {
	b.changeAgent(w, r, v, "agent.state", func(f *agentForm, a *regie.Agent) {
		switch r.PostForm.Get("active") {
		case "1":
			a.Active = true
		case "0":
			a.Active = false
		default:
			f.Errors.add("", "Choisissez d'activer ou de désactiver l'agent.")
		}
	})
}

// pinCost is bcrypt's cost for a PIN: the command line's (app.HashPIN's),
// which counters check offline, or the configured password cost when it is
// lower (the tests').
func (b *Backoffice) pinCost() int { return min(b.cfg.PasswordCost, bcrypt.DefaultCost) }

// changeAgent reads the agent named by the address, lets edit apply the
// form to it, and saves it with the old and new values in the audit trail
// (a new PIN is recorded as changed, never its hash). A refused form comes
// back with what was typed, and nothing is written.
func (b *Backoffice) changeAgent(w http.ResponseWriter, r *http.Request, v *visit, action string, edit func(*agentForm, *regie.Agent)) {
	reg := b.managedRegie(w, r, v)
	if reg == nil {
		return
	}
	old := b.managedAgent(w, r, v, reg)
	if old == nil {
		return
	}
	r.ParseForm()
	a := *old
	f := &agentForm{Regie: reg, Login: a.Login, Name: a.Name, Role: string(a.Role), Active: a.Active, Errors: fieldErrors{}}
	edit(f, &a)
	if len(f.Errors) > 0 {
		b.agentForm(w, v, http.StatusBadRequest, f)
		return
	}
	err := b.st.Update(r.Context(), func(tx *store.Tx) error {
		current, err := tx.AgentByLogin(reg.Code, a.Login)
		if err != nil {
			return err
		} else if current == nil {
			return regie.Errorf(regie.EAgentNotFound, "Agent inconnu : %s.", a.Login)
		}
		diff := changes(current, &a)
		if a.PINHash != current.PINHash {
			diff["code"] = "changé"
		}
		if len(diff) == 0 {
			return nil
		}
		if err := tx.UpdateAgent(reg.Code, &a); err != nil {
			return err
		}
		return b.audit(tx, v, action, reg.Code, a.Login, diff)
	})
	if !b.formSaved(w, r, v, err, f.Errors, func() { b.agentForm(w, v, http.StatusBadRequest, f) }) {
		return
	}
	notice := "agent"
	if f.pin != "" {
		notice = "pin"
	}
	b.afterPIN(w, r, v, reg, a.Login, f.pin, f.Generate && f.pin != "", notice)
}
