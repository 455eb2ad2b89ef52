package store

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/sync/protocol"
)

// EntryError says which entry of a push was refused and why. The batch it
// came in is rolled back whole: nothing of it is written.
type EntryError struct {
	Seq  int64
	Code string // a protocol.Code…, or the rule's regie.ErrorCode when Violation
	// Violation says that the entry is well chained but breaks a domain
	// rule (HTTP 422).
	Violation bool
	Reason    string // English, for the logs
	Message   string // French, for the counter's status bar and the administrator
	LastSeq   int64  // what the server holds of this counter's journal
}

func (e *EntryError) Error() string {
	return fmt.Sprintf("store: push refused at entry %d (%s): %s", e.Seq, e.Code, e.Reason)
}

// PushResult is what the server holds after a push.
type PushResult struct {
	LastSeq  int64
	LastHash string
	Stored   int
	Ignored  int
}

var (
	qLastEntry = hot(`SELECT seq, id, hash FROM journal WHERE counter_id = ? ORDER BY seq DESC LIMIT 1`)
	qEntryAt   = hot(`SELECT id, hash FROM journal WHERE counter_id = ? AND seq = ?`)
)

// Head is the last entry the server holds of a counter's journal: its seq
// (0 for none) and hash (the genesis value for none).
func (t *Tx) Head(counterID int64) (seq int64, id, hash string, err error) {
	err = t.queryRow(qLastEntry, counterID).Scan(&seq, &id, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", regie.GenesisHash, nil
	}
	return seq, id, hash, wrap("head", err)
}

// PushOptions are what a push needs besides the entries.
type PushOptions struct {
	Now time.Time // the server's clock
	// Tolerance is how far ahead of Now an entry may be dated (default 10
	// minutes): counters' clocks drift, but a payment of 2199 is refused.
	Tolerance time.Duration
}

// DefaultClockTolerance is PushOptions.Tolerance when it is zero.
const DefaultClockTolerance = 10 * time.Minute

// PushChecked stores a counter's journal entries, given as consecutive
// batches by next (nil when there are no more; Batches gives a fixed list),
// so that the caller can decode and check the next batch while this one is
// written. It is the one way a counter's journal is stored on the server,
// whoever calls it — the sync API, a tool, a test: there is no path that
// skips the rules.
//
// Entries the server already has (same seq, id and hash) are skipped; each
// new one must follow the previous one in the chain (regie.CheckLink from
// the last stored entry), meet the domain rules (regie.JournalRules, against
// the counter's history, its régie's settings and the reference data), and
// is then applied to the invoices it pays or cancels. The first entry that
// does not fit refuses everything with an *EntryError naming it — Violation
// set and Code the rule's regie.ErrorCode when it breaks a rule; an error
// from next refuses everything too.
//
// Rows are written a hundred per statement; when that fails on a
// constraint (a receipt number already used), the whole run is done again
// an entry at a time to name the entry at fault.
func (t *Tx) PushChecked(c *Counter, next func() (*Batch, error), o PushOptions) (*PushResult, error) {
	if o.Now.IsZero() {
		// The rules would skip the clock's: no caller may.
		return nil, errors.New("store: push without the server's clock")
	}
	if o.Tolerance <= 0 {
		o.Tolerance = DefaultClockTolerance
	}
	if err := t.exec(`SAVEPOINT push`); err != nil {
		return nil, wrap("push", err)
	}
	var seen []*Batch
	p, err := t.newPusher(c, false, o)
	for err == nil {
		var b *Batch
		if b, err = next(); err != nil || b == nil {
			break
		}
		seen = append(seen, b)
		err = p.add(b)
	}
	if err == nil {
		err = p.finish()
	}
	if errors.Is(err, errFlush) {
		if err := t.exec(`ROLLBACK TO push`); err != nil {
			return nil, wrap("push", err)
		}
		t.invoices = nil
		if p, err = t.newPusher(c, true, o); err != nil {
			return nil, err
		}
		for _, b := range seen {
			if err = p.add(b); err != nil {
				break
			}
		}
		if err == nil {
			err = p.finish()
		}
	}
	if err != nil {
		return nil, err
	}
	return &p.res, nil
}

// Batches gives bs one after the other to PushChecked.
func Batches(bs ...*Batch) func() (*Batch, error) {
	return func() (*Batch, error) {
		if len(bs) == 0 {
			return nil, nil
		}
		b := bs[0]
		bs = bs[1:]
		return b, nil
	}
}

// pusher is where a push stands between two batches.
type pusher struct {
	t        *Tx
	c        *Counter
	received string
	held     int64 // what the server held before this push
	prev     *regie.Entry
	oneByOne bool
	res      PushResult
	// rules and state check each new entry's meaning.
	rules *regie.JournalRules
	state *regie.JournalState
	now   time.Time
}

func (t *Tx) newPusher(c *Counter, oneByOne bool, o PushOptions) (*pusher, error) {
	lastSeq, _, lastHash, err := t.Head(c.ID)
	if err != nil {
		return nil, err
	}
	t.pending = newPending()
	p := &pusher{t: t, c: c, received: dbTime(o.Now), held: lastSeq, oneByOne: oneByOne,
		res: PushResult{LastSeq: lastSeq, LastHash: lastHash}, now: o.Now}
	p.state = regie.NewJournalState(&history{t: t, counter: c.ID, max: lastSeq})
	if p.rules, err = t.rulesFor(c, p.state, o.Tolerance); err != nil {
		return nil, err
	}
	if lastSeq > 0 {
		p.prev = &regie.Entry{Seq: lastSeq, Hash: lastHash}
	}
	return p, nil
}

func (p *pusher) add(b *Batch) error {
	t, c := p.t, p.c
	var invoices []string
	for _, o := range b.objs {
		if pay, ok := o.(*regie.Payment); ok {
			for _, a := range pay.Allocations {
				if a.InvoiceID != "" {
					invoices = append(invoices, a.InvoiceID)
				}
			}
		}
	}
	if err := t.prefetchInvoices(invoices); err != nil {
		return err
	}
	for i := range b.entries {
		e := &b.entries[i]
		if e.Counter != c.Code {
			return &EntryError{Seq: e.Seq, Code: protocol.CodeForbidden, LastSeq: p.held,
				Reason:  fmt.Sprintf("entry of counter %q pushed by counter %q", e.Counter, c.Code),
				Message: fmt.Sprintf("L'entrée n° %d appartient au poste %s : un poste ne peut envoyer que son propre journal.", e.Seq, e.Counter)}
		}
		if e.Seq <= p.res.LastSeq {
			var id, hash string
			if err := t.queryRow(qEntryAt, c.ID, e.Seq).Scan(&id, &hash); err != nil {
				return wrap("entry at", err)
			}
			if id != e.ID || hash != e.Hash {
				return &EntryError{Seq: e.Seq, Code: protocol.CodeEntryConflict, LastSeq: p.held,
					Reason:  "the server holds a different entry at this sequence",
					Message: fmt.Sprintf("Le serveur a déjà reçu une autre entrée n° %d de ce poste : le journal a été modifié ou le fichier de caisse remplacé.", e.Seq)}
			}
			p.res.Ignored++
			continue
		}
		// The link to the entry before in the batch was checked by
		// PrepareBatch; when that entry was already stored, it has the
		// stored entry's seq and hash, so the check is the same.
		link := b.links[i]
		if i == 0 {
			link = regie.CheckLink(p.prev, e)
		}
		if err := link; err != nil {
			var ce *regie.ChainError
			if !errors.As(err, &ce) {
				return err
			}
			code := protocol.CodeChainBroken
			if p.prev != nil && e.Seq != p.prev.Seq+1 || p.prev == nil && e.Seq != 1 {
				code = protocol.CodeSequenceGap
			}
			return &EntryError{Seq: e.Seq, Code: code, Reason: ce.Reason, LastSeq: p.held,
				Message: fmt.Sprintf("Journal refusé à l'entrée n° %d : %s.", e.Seq, ce.Motif)}
		}
		if err := p.check(e, b.objs[i], b.decode[i]); err != nil {
			return err
		}
		// On PostgreSQL a failed statement aborts the whole transaction,
		// where SQLite undoes only the statement: an entry written on its
		// own gets a savepoint, so the entries before it are kept and the
		// refusal can still be recorded.
		entrySavepoint := p.oneByOne && t.pg
		if entrySavepoint {
			if err := t.exec(`SAVEPOINT entry`); err != nil {
				return wrap("push", err)
			}
		}
		t.pending.journal.add(c.ID, e.Seq, e.ID, string(e.Kind), e.At.UTC().Format(regie.TimeFormat),
			e.Agent, string(e.Data), e.PrevHash, e.Hash, p.received)
		err := t.project(c, e, b.objs[i], b.decode[i])
		if err == nil && p.oneByOne {
			err = t.flushRows()
		}
		if err != nil {
			if errors.Is(err, errFlush) && !p.oneByOne {
				return err // written again an entry at a time
			}
			if entrySavepoint {
				if err := t.exec(`ROLLBACK TO entry`); err != nil {
					return wrap("push", err)
				}
			}
			return t.entryFailure(e, p.held, err)
		}
		if entrySavepoint {
			if err := t.exec(`RELEASE entry`); err != nil {
				return wrap("push", err)
			}
		}
		p.prev, p.res.LastSeq, p.res.LastHash = e, e.Seq, e.Hash
		p.res.Stored++
	}
	return nil
}

// check applies the domain rules to a new entry and, when it passes,
// records it in the push's state for the entries after it.
func (p *pusher) check(e *regie.Entry, obj any, decodeErr error) error {
	err := decodeErr
	if err == nil {
		err = p.rules.CheckObject(e, obj, p.now)
	}
	var re *regie.Error
	if errors.As(err, &re) {
		return &EntryError{Seq: e.Seq, Code: string(re.Code), Violation: true, LastSeq: p.held, Reason: err.Error(),
			Message: fmt.Sprintf("Entrée n° %d refusée : %s", e.Seq, strings.TrimPrefix(re.Message, fmt.Sprintf("Entrée n° %d : ", e.Seq)))}
	} else if err != nil {
		return err
	}
	p.state.Apply(e, obj)
	return nil
}

func (p *pusher) finish() error {
	if err := p.t.flushRows(); err != nil {
		return err
	}
	return p.t.flushInvoices()
}

// entryFailure turns what went wrong storing an entry into an EntryError
// when it is the entry's fault (a payment id used twice, a payment that does
// not belong to the counter), and leaves other errors as they are.
func (t *Tx) entryFailure(e *regie.Entry, held int64, err error) error {
	var ee *EntryError
	if errors.As(err, &ee) {
		ee.Seq, ee.LastSeq = e.Seq, held
		return ee
	}
	var re *regie.Error
	if errors.As(err, &re) {
		return &EntryError{Seq: e.Seq, Code: protocol.CodeEntryConflict, LastSeq: held, Reason: err.Error(),
			Message: fmt.Sprintf("Entrée n° %d refusée : %s", e.Seq, re.Message)}
	}
	if isConstraint(err) {
		return &EntryError{Seq: e.Seq, Code: protocol.CodeEntryConflict, LastSeq: held, Reason: err.Error(),
			Message: fmt.Sprintf("Entrée n° %d refusée : elle reprend l'identifiant ou le numéro de reçu d'une entrée déjà reçue.", e.Seq)}
	}
	return fmt.Errorf("store: push entry %d: %w", e.Seq, err)
}

// isConstraint tells a UNIQUE, FOREIGN KEY or CHECK violation from an I/O
// failure: on PostgreSQL by its SQLSTATE class (23, integrity constraint
// violation), on SQLite by the message (the driver's error type is
// internal).
func isConstraint(err error) bool {
	if pe := (*pgconn.PgError)(nil); errors.As(err, &pe) {
		return strings.HasPrefix(pe.Code, "23")
	}
	s := err.Error()
	for _, w := range []string{"constraint failed", "UNIQUE", "FOREIGN KEY"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
