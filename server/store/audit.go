package store

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/regie-fr/regie"
)

// AuditEntry is one back-office action that changed or exported something:
// who (the account's id and login), what (an action code, the régie it
// concerns, its target and details), when and from where (the client's
// network, hashed by the caller if it wants). Seq and the hashes chain the
// entries like a counter's journal.
type AuditEntry struct {
	Seq     int64           `json:"seq"`
	At      time.Time       `json:"at"`
	StaffID string          `json:"staff_id"`
	Staff   string          `json:"staff"`
	Action  string          `json:"action"`
	Regie   string          `json:"regie"`
	Target  string          `json:"target"`
	Detail  json.RawMessage `json:"detail"`
	Client  string          `json:"client"`
	// Org is the organisation whose administrators read the entry (not
	// chained: see migration 0016).
	Org      string `json:"org"`
	PrevHash string `json:"-"`
	Hash     string `json:"-"`
}

// auditHash is SHA-256(prev_hash ‖ canonical bytes of the entry), prev_hash
// as its 32 raw bytes: the journal's rule (docs/journal.md) on the audit
// record, whose canonical form has sorted keys and the time in UTC.
func auditHash(e *AuditEntry) (string, error) {
	prev, err := hex.DecodeString(e.PrevHash)
	if err != nil || len(prev) != sha256.Size {
		return "", fmt.Errorf("audit %d: bad prev_hash", e.Seq)
	}
	detail := e.Detail
	if len(detail) == 0 {
		detail = json.RawMessage("null")
	}
	body, err := regie.Canonical(map[string]any{"seq": e.Seq, "at": e.At.UTC().Format(regie.TimeFormat),
		"staff_id": e.StaffID, "staff": e.Staff, "action": e.Action, "regie": e.Regie, "target": e.Target,
		"detail": detail, "client": e.Client})
	if err != nil {
		return "", fmt.Errorf("audit %d: %w", e.Seq, err)
	}
	h := sha256.New()
	h.Write(prev)
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// AppendAudit chains e after the trail's last entry, in the caller's
// transaction: the action and its record commit together or not at all.
func (t *Tx) AppendAudit(e *AuditEntry) error {
	var seq int64
	prev := regie.GenesisHash
	err := t.queryRow(`SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1`).Scan(&seq, &prev)
	if err != nil && !isNoRows(err) {
		return wrap("audit head", err)
	}
	e.Seq, e.PrevHash = seq+1, prev
	e.At = regie.JournalTime(e.At)
	if len(e.Detail) == 0 {
		e.Detail = json.RawMessage("null")
	}
	if e.Hash, err = auditHash(e); err != nil {
		return err
	}
	return wrap("append audit", t.exec(`INSERT INTO audit (seq, at, staff_id, staff, action, regie, target, detail,
		client, prev_hash, hash, org) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.Seq, dbTime(e.At), e.StaffID, e.Staff,
		e.Action, e.Regie, e.Target, string(e.Detail), e.Client, e.PrevHash, e.Hash, e.Org))
}

// AuditFilter narrows the audit trail's listing.
type AuditFilter struct {
	// Before lists entries older than this seq (0: from the newest).
	Before int64
	Limit  int
	// Staff, Action and Regie keep only the entries of that account's
	// login, that action code and that régie ("" for any).
	Staff, Action, Regie string
	// Org is the organisation whose entries are listed, always.
	Org string
}

// AuditEntries lists the trail, newest first.
func (t *Tx) AuditEntries(f AuditFilter) ([]AuditEntry, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	before := f.Before
	if before <= 0 {
		before = 1 << 62
	}
	q := `SELECT seq, at, staff_id, staff, action, regie, target, detail, client, prev_hash, hash
		FROM audit WHERE org = ? AND seq < ?`
	args := []any{f.Org, before}
	for _, c := range []struct{ col, v string }{{"staff", f.Staff}, {"action", f.Action}, {"regie", f.Regie}} {
		if c.v != "" {
			q += ` AND ` + c.col + ` = ?`
			args = append(args, c.v)
		}
	}
	rows, err := t.query(q+` ORDER BY seq DESC LIMIT ?`, append(args, f.Limit)...)
	if err != nil {
		return nil, wrap("audit", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *e)
	}
	return out, wrap("audit", rows.Err())
}

func scanAudit(rows interface{ Scan(...any) error }) (*AuditEntry, error) {
	var e AuditEntry
	var at, detail string
	if err := rows.Scan(&e.Seq, &at, &e.StaffID, &e.Staff, &e.Action, &e.Regie, &e.Target, &detail, &e.Client,
		&e.PrevHash, &e.Hash); err != nil {
		return nil, wrap("audit", err)
	}
	e.At = parseDBTime(at)
	e.Detail = json.RawMessage(detail)
	return &e, nil
}

// AuditReport is the audit trail's check: its length, and the first entry
// whose chain or hash does not hold (0 when it holds).
type AuditReport struct {
	Entries  int64  `json:"entries"`
	BrokenAt int64  `json:"broken_at,omitempty"`
	Problem  string `json:"problem,omitempty"`
}

// VerifyAudit recomputes every hash of the trail from its columns: a row
// changed or removed behind the server's back (the triggers bar it, not
// someone with the file) breaks the chain where it was touched.
func (t *Tx) VerifyAudit() (*AuditReport, error) {
	rows, err := t.query(`SELECT seq, at, staff_id, staff, action, regie, target, detail, client, prev_hash, hash
		FROM audit ORDER BY seq`)
	if err != nil {
		return nil, wrap("verify audit", err)
	}
	defer rows.Close()
	rep := &AuditReport{}
	want, prev := int64(1), regie.GenesisHash
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, err
		}
		rep.Entries++
		if rep.BrokenAt != 0 {
			continue
		}
		switch h, herr := auditHash(e); {
		case e.Seq != want:
			rep.BrokenAt, rep.Problem = want, fmt.Sprintf("entrée %d manquante", want)
		case e.PrevHash != prev:
			rep.BrokenAt, rep.Problem = e.Seq, "chaînage rompu"
		case herr != nil || h != e.Hash:
			rep.BrokenAt, rep.Problem = e.Seq, "contenu modifié"
		}
		want, prev = e.Seq+1, e.Hash
	}
	return rep, wrap("verify audit", rows.Err())
}
