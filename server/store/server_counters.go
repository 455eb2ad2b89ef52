package store

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/regie-fr/regie"
)

// The kinds of counters (counters.kind, migration 0011).
const (
	// CounterDesk is a cash desk's counter: a machine that enrols and
	// pushes its journal.
	CounterDesk = "desk"
	// CounterBackOffice is a régie's back-office counter: its journal is
	// recorded by the server itself (procès-verbaux de vérification, and
	// with issue 12 the transfers and direct debits entered by hand).
	CounterBackOffice = "backoffice"
	// CounterOnline is a régie's online counter (issue 12: PayFiP, Publik).
	CounterOnline = "online"
)

// serverCounterCodes are the reserved codes of the server counters, the
// same in every régie; no desk counter may take them (CreateCounter).
var serverCounterCodes = map[string]string{CounterBackOffice: "GESTION", CounterOnline: "ENLIGNE"}

// serverCounterNames are their names as people read them.
var serverCounterNames = map[string]string{CounterBackOffice: "Service de la régie (virements, prélèvements)",
	CounterOnline: "Paiements en ligne"}

// The queries every payment recorded on a server counter runs, prepared
// once (a server counter appends one entry per transaction, so what a
// desk's batch pays once is paid on each).
var (
	qCounterByCode   = hot(`SELECT ` + counterCols + ` FROM counters WHERE regie = ? AND code = ?`)
	qRegie           = hot(`SELECT settings FROM regies WHERE code = ?`)
	qEarlierSettings = hot(`SELECT settings FROM regie_settings_history WHERE regie = ? AND settings <> ?
	GROUP BY settings ORDER BY max(rev) DESC`)
	qCounterSettings = hot(`SELECT r.settings, c.kind FROM regies r JOIN counters c ON c.regie = r.code WHERE c.id = ?`)
	qLockCounter     = hot(`UPDATE counters SET kind = kind WHERE id = ?`)
	qCounterKind     = hot(`SELECT kind FROM counters WHERE id = ?`)
)

// ServerCounterCode is the reserved code of a régie's server counter of
// kind ("GESTION" for the back-office, "ENLIGNE" online).
func ServerCounterCode(kind string) string { return serverCounterCodes[kind] }

// reservedCounterCode tells whether code belongs to the server counters.
func reservedCounterCode(code string) bool {
	for _, c := range serverCounterCodes {
		if c == code {
			return true
		}
	}
	return false
}

// ServerCounter is the régie's server counter of kind (CounterBackOffice,
// CounterOnline), created on first use: a counters row with the reserved
// code, no enrolment code and no credential (the triggers of migration
// 0011 keep it so), whose journal only this process appends to.
func (t *Tx) ServerCounter(regieCode, kind string, now time.Time) (*Counter, error) {
	code := serverCounterCodes[kind]
	if code == "" {
		return nil, fmt.Errorf("store: no server counter of kind %q", kind)
	}
	if r, err := t.Regie(regieCode); err != nil {
		return nil, err
	} else if r == nil {
		return nil, regie.Errorf(regie.ENotFound, "Régie inconnue : %s.", regieCode)
	}
	c, err := t.CounterByCode(regieCode, code)
	if err != nil {
		return nil, err
	}
	if c == nil {
		rev, err := t.nextRev()
		if err != nil {
			return nil, err
		}
		if err := t.exec(`INSERT INTO counters (regie, code, name, kind, created_at, rev) VALUES (?, ?, ?, ?, ?, ?)`,
			regieCode, code, serverCounterNames[kind], kind, dbTime(now), rev); err != nil {
			return nil, wrap("server counter", err)
		}
		return t.CounterByCode(regieCode, code)
	}
	var got string
	if err := t.queryRow(`SELECT kind FROM counters WHERE id = ?`, c.ID).Scan(&got); err != nil {
		return nil, wrap("server counter", err)
	}
	if got != kind {
		return nil, regie.Errorf(regie.EConflict, "Le code %s de la régie %s est pris par un autre poste.", code, regieCode)
	}
	return c, nil
}

// CounterKind is the kind of a counter (CounterDesk…).
func (t *Tx) CounterKind(id int64) (string, error) {
	var kind string
	err := t.queryRow(qCounterKind, id).Scan(&kind)
	return kind, wrap("counter kind", err)
}

// AppendServerEntry records obj as the next entry of a server counter's
// journal, in the caller's transaction: the counter's row is locked, the
// entry numbered after the last one and chained to it (regie.NewEntry),
// then stored through PushChecked — the same links, the same
// regie.JournalRules (with ServerCounter set) and the same projections as
// any counter's push, so a server counter's journal is verified like a
// desk's. at is both the entry's instant and the server's clock. Any
// domain refusal is returned as the rule's *regie.Error.
func (t *Tx) AppendServerEntry(c *Counter, kind regie.EntryKind, id, agent string, at time.Time, obj any) (*regie.Entry, error) {
	ck, err := t.CounterKind(c.ID)
	if err != nil {
		return nil, err
	}
	if ck == CounterDesk {
		return nil, fmt.Errorf("store: append to desk counter %s/%s: only its machine records its journal", c.Regie, c.Code)
	}
	if err := t.LockCounter(c); err != nil {
		return nil, err
	}
	seq, _, hash, err := t.Head(c.ID)
	if err != nil {
		return nil, err
	}
	var prev *regie.Entry
	if seq > 0 {
		prev = &regie.Entry{Seq: seq, Hash: hash}
	}
	e, err := regie.NewEntry(prev, c.Code, kind, id, agent, at, obj)
	if err != nil {
		return nil, fmt.Errorf("store: append: %w", err)
	}
	_, err = t.PushChecked(c, Batches(PrepareBatch([]regie.Entry{*e})), PushOptions{Now: at})
	var ee *EntryError
	if errors.As(err, &ee) && ee.Violation {
		return nil, regie.Errorf(regie.ErrorCode(ee.Code), "%s", ruleMessage(ee))
	}
	if err != nil {
		return nil, err
	}
	return e, nil
}

// LockCounter takes the lock on a counter's row until the transaction ends:
// whoever appends to a server counter's journal, or first looks whether a
// payment is already there, does so after it, so that two server instances
// never number the same entry or record the same payment twice. On SQLite
// the immediate transaction already holds the file's lock.
func (t *Tx) LockCounter(c *Counter) error {
	return wrap("lock counter", t.exec(qLockCounter, c.ID))
}

// CounterHistory answers the journal rules' questions (last receipt, last
// session, sealed days, day figures…) from everything the counter's journal
// holds: what a server counter's use cases read to build their next entry.
func (t *Tx) CounterHistory(c *Counter) regie.JournalHistory {
	return &history{t: t, counter: c.ID, max: math.MaxInt64}
}

// ruleMessage is a refused entry's French message without the "Entrée n° N
// refusée : " the counter's status bar needs: the back-office shows it as
// the form's error.
func ruleMessage(ee *EntryError) string {
	return strings.TrimPrefix(ee.Message, fmt.Sprintf("Entrée n° %d refusée : ", ee.Seq))
}

// deskOnly refuses to enrol or revoke a server counter: no machine ever
// holds its credential, and the server keeps recording on it.
func (t *Tx) deskOnly(c *Counter) error {
	kind, err := t.CounterKind(c.ID)
	if err != nil {
		return err
	}
	if kind != CounterDesk {
		return regie.Errorf(regie.EForbidden, "Le poste %s est tenu par le serveur : il ne s'enrôle pas et ne se révoque pas.", c.Code)
	}
	return nil
}
