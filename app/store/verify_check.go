package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/internal/sqlitedb"
)

// check is one verification of a counter file: the file under check (read
// through src, one read transaction), the fresh database its journal is
// replayed into, and the report. Verify runs it over the whole journal;
// the counter's start runs it over the entries it has not verified yet.
type check struct {
	ctx   context.Context
	src   *Tx    // the checked file, read only
	fresh *Store // rebuilt from the journal by Append
	r     *Report
	loc   *time.Location
	ident *regie.Counter
	v     *verifier // the rules of meaning (regie.JournalRules) and verify's own
	ids   map[string]int64
	last  *regie.Entry
	// full are the tables compared whole even when only a tail is
	// replayed; seed fills them in the rebuilt database once the entries
	// up to pivot are replayed (the start check's state tables).
	full  map[string]bool
	pivot int64
	seed  func(*Tx) error
}

func newCheck(ctx context.Context, src *sql.Tx, fresh *Store, loc *time.Location) (*check, error) {
	k := &check{ctx: ctx, src: &Tx{tx: src, ctx: ctx, b: sqlitedb.Bind(ctx, src, nil)}, fresh: fresh, r: &Report{},
		ids: map[string]int64{}}
	if ident, err := k.src.Identity(); err == nil {
		k.r.Counter, k.ident = ident.Code, ident
	} else if regie.ErrorCodeOf(err) != regie.ENotConfigured {
		k.r.add(Problem{Table: "identity", Motif: fmt.Sprintf("identité du poste illisible (%v)", err)})
	}
	k.loc = loc
	if k.loc == nil {
		k.loc = regieLocation(k.src)
	}
	return k, nil
}

// regieLocation is the régie's time zone as the counter uses it: the one
// of its settings, Paris when they name none or cannot be read.
func regieLocation(t *Tx) *time.Location {
	zone := "Europe/Paris"
	if s, err := t.Settings(); err == nil && s.Timezone != "" {
		zone = s.Timezone
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		loc, _ = time.LoadLocation("Europe/Paris")
	}
	if loc == nil {
		loc = time.UTC
	}
	return loc
}

// run checks the schema, replays the entries from seq from on (prev is
// the entry before it, nil from the start), and compares the rows they
// make with the file's.
func (k *check) run(from int64, prev *regie.Entry) error {
	if err := k.schema(); err != nil {
		return err
	}
	if err := k.replay(from, prev); err != nil {
		return err
	}
	if err := k.tables(from); err != nil {
		return err
	}
	k.syncState()
	return nil
}

// problem reports something wrong with entry e.
func (k *check) problem(e *regie.Entry, format string, args ...any) {
	k.r.add(Problem{Seq: e.Seq, ID: e.ID, Kind: e.Kind, Motif: fmt.Sprintf(format, args...)})
}

// replay reads the file's journal from seq from in order, checks each link
// and each entry's coherence, and appends it to the fresh database with
// the counter's own Append, in one transaction.
func (k *check) replay(from int64, prev *regie.Entry) error {
	rows, err := k.src.tx.QueryContext(k.ctx, `SELECT `+entryCols+` FROM journal WHERE seq >= ? ORDER BY seq`, from)
	if err != nil {
		return fmt.Errorf("verify: read journal: %w", err)
	}
	defer rows.Close()
	return k.fresh.Update(k.ctx, func(ftx *Tx) error {
		seed := func() error {
			if k.seed == nil {
				return nil
			}
			f := k.seed
			k.seed = nil
			return f(ftx)
		}
		for rows.Next() {
			e, err := scanEntry(rows)
			if err != nil {
				k.r.add(Problem{Motif: fmt.Sprintf("entrée illisible après l'entrée n° %d : %v", k.r.LastSeq, err)})
				return seed()
			}
			if e.Seq > k.pivot {
				if err := seed(); err != nil {
					return err
				}
			}
			k.entry(ftx, prev, e)
			prev = e
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return seed()
	})
}

func (k *check) entry(ftx *Tx, prev, e *regie.Entry) {
	k.r.Entries++
	k.r.LastSeq, k.r.LastHash, k.last = e.Seq, e.Hash, e
	if err := regie.CheckLink(prev, e); err != nil {
		var ce *regie.ChainError
		if errors.As(err, &ce) {
			k.problem(e, "%s", ce.Motif)
		} else {
			k.problem(e, "%v", err)
		}
	}
	if k.ident != nil && e.Counter != k.ident.Code {
		k.problem(e, "enregistrée pour le poste %s, pas pour ce poste (%s)", e.Counter, k.ident.Code)
	}
	if k.ident == nil && k.r.Entries == 1 {
		k.problem(e, "le fichier a des entrées mais aucune identité de poste")
	}
	if at, ok := k.ids[e.ID]; ok {
		k.problem(e, "identifiant déjà utilisé par l'entrée n° %d", at)
	}
	k.ids[e.ID] = e.Seq
	obj, err := regie.DecodeEntry(e)
	if err != nil {
		k.problem(e, "%s", strings.TrimSuffix(regie.ErrorMessage(err), "."))
		// Still replay the row of the journal, so the tables compare.
		if err := ftx.exec(qAppend, e.Seq, e.ID, e.Counter, string(e.Kind), e.At.UTC().Format(regie.TimeFormat),
			e.Agent, string(e.Data), e.PrevHash, e.Hash); err != nil {
			k.problem(e, "ne peut pas être rejouée (%v)", err)
		}
		return
	}
	if p, ok := obj.(*regie.Payment); ok && k.ident != nil {
		if r, c, _, _, err := regie.ParseReceiptNumber(p.Receipt); err == nil && (r != k.ident.Regie || c != k.ident.Code) {
			k.problem(e, "reçu %s : régie ou poste différent de ceux du fichier (%s, %s)", p.Receipt, k.ident.Regie, k.ident.Code)
		}
		if p.Regie != k.ident.Regie {
			k.problem(e, "paiement de la régie %s dans le fichier de la régie %s", p.Regie, k.ident.Regie)
		}
	}
	if err := ftx.Append(e, obj); err != nil {
		k.problem(e, "ne peut pas être rejouée par la caisse (%v)", err)
	}
	// After Append: the rules may normalise what they check (a cash
	// tender's amount handed), and the tables are rebuilt from the entry
	// as written.
	k.v.replay(e, obj)
}

// latestMigration is the number of the newest shipped migration.
func latestMigration() int {
	files, _ := fs.ReadDir(migrations, "migrations")
	n := 0
	for _, f := range files {
		if v, err := strconv.Atoi(strings.SplitN(f.Name(), "_", 2)[0]); err == nil && v > n {
			n = v
		}
	}
	return n
}

// entryAt reads the kind and id of the file's entry at seq, to name it in
// a problem found in a table.
func (k *check) entryAt(seq int64) (regie.EntryKind, string) {
	var kind, id string
	if err := k.src.tx.QueryRowContext(k.ctx, `SELECT kind, id FROM journal WHERE seq = ?`, seq).Scan(&kind, &id); err != nil {
		return "", ""
	}
	return regie.EntryKind(kind), id
}
