package store

import (
	"bytes"
	"fmt"

	"github.com/regie-fr/regie"
)

// The régie's settings and its agents are reference data pulled from the
// server, but each change of them is journaled (a settings entry), and the
// counter decides on them: who may approve a cancellation, the cash limit,
// the time zone. verify checks the tables against the journal's last word
// on them. PIN hashes are not journaled and cannot be checked.

// settingsEntry keeps what the journal last said of the settings and of
// each agent.
func (v *verifier) settingsEntry(seq int64, s *regie.SettingsChange) {
	if v.settings != nil {
		v.earlier = append(v.earlier, v.settings)
	}
	v.settings = &s.Settings
	v.versions = append(v.versions, settingsVersion{Seq: seq, Settings: &s.Settings})
	for _, a := range s.Agents {
		v.agents[a.ID] = a
	}
}

// reference compares the settings and agents tables with the journal.
func (v *verifier) reference() {
	if v.settings == nil {
		return // no settings entry: an empty journal, said elsewhere
	}
	k := v.k
	if stored, err := k.src.Settings(); err != nil {
		k.r.add(Problem{Table: "settings", Motif: fmt.Sprintf("paramètres de la régie illisibles (%v)", err)})
	} else if !sameCanonical(stored, v.settings) {
		k.r.add(Problem{Table: "settings", Column: "data",
			Motif: "table settings : les paramètres de la régie diffèrent de ceux du dernier changement de paramètres journalisé"})
	}
	rows, err := k.src.tx.QueryContext(k.ctx, `SELECT id, login, name, role, active FROM agents ORDER BY id`)
	if err != nil {
		k.r.add(Problem{Table: "agents", Motif: fmt.Sprintf("table agents illisible (%v)", err)})
		return
	}
	defer rows.Close()
	for rows.Next() {
		var a regie.Agent
		var role string
		if err := rows.Scan(&a.ID, &a.Login, &a.Name, &role, &a.Active); err != nil {
			k.r.add(Problem{Table: "agents", Motif: fmt.Sprintf("table agents illisible (%v)", err)})
			return
		}
		a.Role = regie.Role(role)
		want, ok := v.agents[a.ID]
		switch {
		case !ok:
			k.r.add(Problem{Table: "agents", Key: "(id=" + a.ID + ")",
				Motif: fmt.Sprintf("table agents : l'agent %s (%s) n'a été journalisé par aucun changement de paramètres", a.Login, a.ID)})
		case want.Login != a.Login || want.Name != a.Name || want.Role != a.Role || want.Active != a.Active:
			k.r.add(Problem{Table: "agents", Key: "(id=" + a.ID + ")",
				Motif: fmt.Sprintf("table agents : l'agent %s est « %s, %s, actif %v » ; le journal dit « %s, %s, actif %v »",
					a.ID, a.Login, a.Role, a.Active, want.Login, want.Role, want.Active)})
		}
	}
}

func sameCanonical(a, b any) bool {
	x, err1 := regie.Canonical(a)
	y, err2 := regie.Canonical(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}
