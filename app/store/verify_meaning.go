package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/regie-fr/regie"
)

// verifier applies to each entry of the file the rules of meaning every
// entry of a counter's journal must meet — regie.JournalRules, the very
// rules the counter applies when it records and the server when it
// receives — against the file's own history, replayed in a
// regie.JournalState. A rebuild cannot see these: a forger who knows the
// hash can write a well-chained, well-projected entry that breaks them.
// What is verify's own stays here: the receipts for the anchors and the
// journal's last word on the settings and agents.
type verifier struct {
	k     *check
	state *regie.JournalState
	rules regie.JournalRules
	// receipts maps a receipt number to its payment entry's hash, for the
	// receipt anchors.
	receipts map[string]string
	// settings and agents are the journal's last word on them; earlier
	// are the settings it gave before.
	settings *regie.Regie
	earlier  []*regie.Regie
	agents   map[string]regie.Agent
	// versions are the journal's settings entries, kept by the start
	// check for the next one (settingsKey).
	versions []settingsVersion
}

// settingsVersion is the settings a journal entry gave.
type settingsVersion struct {
	Seq      int64        `json:"seq"`
	Settings *regie.Regie `json:"settings"`
}

// newVerifier starts the rules over base, the history before the first
// entry replayed (nil from the start of the journal). The rules take no
// clock (a file is checked long after it was written) and no reference
// data: the counter's households, invoices and catalogue change with each
// pull, so what a payment settled cannot be checked against them later;
// the server checks it when it receives the payment.
func newVerifier(k *check, base regie.JournalHistory) *verifier {
	v := &verifier{k: k, state: regie.NewJournalState(base), receipts: map[string]string{}, agents: map[string]regie.Agent{}}
	v.rules = regie.JournalRules{Loc: k.loc, History: v.state}
	if k.ident != nil {
		v.rules.Counter = k.ident.Code
	}
	return v
}

// replay applies the rules of meaning to entry e recording obj, then
// records it in the history whatever they said, so that one bad entry
// does not make every later one look wrong.
func (v *verifier) replay(e *regie.Entry, obj any) {
	v.rules.Settings, v.rules.Earlier = v.inForce(), v.earlier
	if err := v.rules.CheckObject(e, obj, time.Time{}); err != nil {
		var re *regie.Error
		if errors.As(err, &re) {
			v.k.problem(e, "%s", strings.TrimSuffix(strings.TrimPrefix(re.Message, fmt.Sprintf("Entrée n° %d : ", e.Seq)), "."))
		} else {
			v.k.problem(e, "ne peut pas être vérifiée (%v)", err)
		}
	}
	v.state.Apply(e, obj)
	switch o := obj.(type) {
	case *regie.Payment:
		v.receipts[o.Receipt] = e.Hash
		v.k.r.Payments++
	case *regie.Closing:
		v.k.r.Closings++
	case *regie.SettingsChange:
		v.settingsEntry(e.Seq, o)
	}
}

// inForce is the settings the entry being checked was recorded under: the
// journal's last settings entry before it. A journal starts with one (the
// counter's configuration); without it, the file's settings stand in.
func (v *verifier) inForce() *regie.Regie {
	if v.settings != nil {
		return v.settings
	}
	if s, err := v.k.src.Settings(); err == nil && s != nil {
		return s
	}
	s := &regie.Regie{}
	if v.k.ident != nil {
		s.Code = v.k.ident.Regie
	}
	return s
}

// settingsKey is where the start check keeps the journal's settings
// entries among the state it proved (verified.state): finding them again
// in the journal would read all of it, there being no index on the kind.
const settingsKey = "$settings"

// seedSettings starts the settings mid-journal, for the start check: the
// settings entries before seq from, the last one in force. They are those
// the last start kept (saved, up to the entry it verified last), else the
// journal's, read whole once.
func (v *verifier) seedSettings(from int64, saved json.RawMessage) error {
	var versions []settingsVersion
	if saved == nil || json.Unmarshal(saved, &versions) != nil {
		versions = nil
		rows, err := v.k.src.query(`SELECT seq, data FROM journal WHERE kind = ? AND seq < ? ORDER BY seq`, string(regie.KindSettings), from)
		if err != nil {
			return fmt.Errorf("store: start check: settings: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var data string
			var x settingsVersion
			var s regie.SettingsChange
			if err := rows.Scan(&x.Seq, &data); err != nil {
				return fmt.Errorf("store: start check: settings: %w", err)
			}
			if json.Unmarshal([]byte(data), &s) == nil {
				x.Settings = &s.Settings
				versions = append(versions, x)
			}
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store: start check: settings: %w", err)
		}
	}
	for _, x := range versions {
		if x.Seq < from && x.Settings != nil {
			v.settingsEntry(x.Seq, &regie.SettingsChange{Settings: *x.Settings})
		}
	}
	return nil
}
