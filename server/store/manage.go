package store

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/regie-fr/regie"
)

// The administration of régies, counters, agents and tariffs, shared by the
// command line (cmd/regie-serveur) and the back-office: both write through
// these functions, so one rule holds whichever path a change takes.

// EnrolValidity is how long an enrolment code can be used.
const EnrolValidity = 7 * 24 * time.Hour

// NewRegieSettings are a new régie's settings before the administrator
// fills them: deposits weekly, the legal cash limit, the Paris time zone.
func NewRegieSettings(code string) regie.Regie {
	return regie.Regie{Code: code, DepositPeriodDays: 7, CashLimit: regie.DefaultCashLimit, Timezone: "Europe/Paris"}
}

// checkTimezone refuses a time zone this server cannot load: the server
// dates a régie's days with it. The domain's Validate cannot check it, as a
// counter's system may lack the zone database the server has.
func checkTimezone(r *regie.Regie) error {
	if r.Timezone == "" {
		return nil
	}
	// "Local" would be whatever zone the server's machine is set to.
	if _, err := time.LoadLocation(r.Timezone); err != nil || r.Timezone == "Local" || strings.ContainsAny(r.Timezone, " \t\r\n") {
		return regie.Errorf(regie.EInvalid, "Fuseau horaire inconnu : %s.", r.Timezone)
	}
	return nil
}

// AgentByLogin reads an agent of a régie; nil when unknown.
func (t *Tx) AgentByLogin(regieCode, login string) (*regie.Agent, error) {
	as, err := t.Agents(regieCode)
	if err != nil {
		return nil, err
	}
	for _, a := range as {
		if a.Login == login {
			return &a, nil
		}
	}
	return nil, nil
}

// CreateAgent adds an agent to a régie; a login already taken in the régie
// is refused, so that creating cannot overwrite someone else's PIN. An
// agent without an id gets a new one.
func (t *Tx) CreateAgent(regieCode string, a *regie.Agent) error {
	if old, err := t.AgentByLogin(regieCode, a.Login); err != nil {
		return err
	} else if old != nil {
		return regie.Errorf(regie.EConflict, "L'identifiant %s est déjà celui d'un agent de la régie %s.", a.Login, regieCode)
	}
	if a.ID == "" {
		a.ID = uuid.Must(uuid.NewV7()).String()
	}
	return t.SaveAgent(regieCode, a)
}

// UpdateAgent changes an existing agent of a régie, found by login; an
// empty PINHash keeps the PIN.
func (t *Tx) UpdateAgent(regieCode string, a *regie.Agent) error {
	if old, err := t.AgentByLogin(regieCode, a.Login); err != nil {
		return err
	} else if old == nil {
		return regie.Errorf(regie.EAgentNotFound, "Agent inconnu : %s.", a.Login)
	}
	return t.SaveAgent(regieCode, a)
}

// CheckAgent is the rule on an agent's login and name, for a form to show
// with its other faults before saving (SaveAgent applies it too).
func CheckAgent(a *regie.Agent) error { return validAgent(a) }

// CheckItem is the rule on a tariff, for a form (SaveItem applies it too).
func CheckItem(it *regie.CatalogueItem) error { return validItem(it) }

// validAgent refuses what a counter's login screen could not show or
// match: identifiers and names blank, too long, or with control characters.
func validAgent(a *regie.Agent) error {
	if strings.TrimSpace(a.Login) == "" || strings.TrimSpace(a.Name) == "" {
		return regie.Errorf(regie.EInvalid, "L'identifiant et le nom de l'agent sont obligatoires.")
	}
	if !plainText(a.Login, 40) || strings.ContainsAny(a.Login, notInKeys) || !plainText(a.Name, 100) {
		return regie.Errorf(regie.EInvalid, "L'identifiant (sans espace ni / ? # %%, 40 caractères au plus) ou le nom (100 au plus) de l'agent est invalide.")
	}
	return nil
}

// validItem refuses a tariff a counter could not sell or a receipt print.
func validItem(it *regie.CatalogueItem) error {
	if it.Code == "" || strings.TrimSpace(it.Label) == "" || it.Price < 0 {
		return regie.Errorf(regie.EInvalid, "Un tarif a un code, un libellé et un prix positif ou nul.")
	}
	if !plainText(it.Code, 32) || strings.ContainsAny(it.Code, notInKeys) || !plainText(it.Label, 120) || !plainText(it.Category, 60) {
		return regie.Errorf(regie.EInvalid, "Code (sans espace ni / ? # %%, 32 caractères au plus), libellé (120 au plus) ou catégorie (60 au plus) du tarif invalide.")
	}
	if it.Price > regie.MaxAmount {
		return regie.Errorf(regie.EInvalid, "Prix du tarif %s hors limites.", it.Code)
	}
	return nil
}

// notInKeys are the characters an agent's login or a tariff's code cannot
// have: they name it in the back-office's addresses (and a space in a
// login is a typo nobody sees).
const notInKeys = " /?#%\\"

// plainText is valid UTF-8 of at most n characters, without control
// characters, and not starting or ending with a space.
func plainText(s string, n int) bool {
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > n || s != strings.TrimSpace(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 {
			return false
		}
	}
	return true
}

// Items lists a régie's catalogue by category and code, withdrawn tariffs
// included.
func (t *Tx) Items(regieCode string) ([]regie.CatalogueItem, error) {
	rows, err := t.query(`SELECT code, label, category, price, active FROM items WHERE regie = ? ORDER BY category, code`, regieCode)
	if err != nil {
		return nil, wrap("items", err)
	}
	defer rows.Close()
	var out []regie.CatalogueItem
	for rows.Next() {
		var it regie.CatalogueItem
		var price int64
		if err := rows.Scan(&it.Code, &it.Label, &it.Category, &price, &it.Active); err != nil {
			return nil, wrap("items", err)
		}
		it.Price = regie.Money(price)
		out = append(out, it)
	}
	return out, wrap("items", rows.Err())
}

// Item reads a tariff of a régie; nil when unknown.
func (t *Tx) Item(regieCode, code string) (*regie.CatalogueItem, error) {
	its, err := t.Items(regieCode)
	if err != nil {
		return nil, err
	}
	for _, it := range its {
		if it.Code == code {
			return &it, nil
		}
	}
	return nil, nil
}

// CounterState is a counter with its state as people name it and how much
// of its journal the server holds.
type CounterState struct {
	Counter
	// State is "pending" (not enrolled yet), "enrolled" or "revoked".
	State   string
	Entries int64
}

// CountersOf lists a régie's counters with their states, by code.
func (t *Tx) CountersOf(regieCode string) ([]CounterState, error) {
	cs, err := t.Counters()
	if err != nil {
		return nil, err
	}
	var out []CounterState
	for _, c := range cs {
		if c.Regie != regieCode {
			continue
		}
		s := CounterState{Counter: c, State: "pending"}
		switch {
		case c.Revoked:
			s.State = "revoked"
		case c.Enrolled:
			s.State = "enrolled"
		}
		if s.Entries, _, _, err = t.Head(c.ID); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}
