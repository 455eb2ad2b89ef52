package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/internal/sqlitedb"
)

// Problem is one thing verify found wrong, tied to the journal entry where
// it shows (Seq 0 when no entry is to blame: the schema, a row no entry
// made). Table, Key and Column name the stored value that differs from
// what the journal gives, when that is the problem.
type Problem struct {
	Seq    int64
	ID     string
	Kind   regie.EntryKind
	Table  string
	Key    string
	Column string
	Motif  string // French: the report is read by a régisseur or an auditor
}

func (p Problem) String() string {
	if p.Seq == 0 {
		return p.Motif
	}
	if p.ID == "" {
		return fmt.Sprintf("entrée n° %d : %s", p.Seq, p.Motif)
	}
	return fmt.Sprintf("entrée n° %d (%s %s) : %s", p.Seq, p.Kind, p.ID, p.Motif)
}

// Report is what verify found in a counter file.
type Report struct {
	Counter   string
	Entries   int64
	Payments  int
	Closings  int
	LastSeq   int64
	LastHash  string
	Problems  []Problem
	Truncated bool
}

// OK tells whether the file is intact.
func (r *Report) OK() bool { return len(r.Problems) == 0 }

// maxProblems bounds a report: after the first break everything that
// follows is suspect anyway.
const maxProblems = 20

func (r *Report) add(p Problem) {
	if len(r.Problems) >= maxProblems {
		r.Truncated = true
		return
	}
	r.Problems = append(r.Problems, p)
}

// Options are what verify is asked to check beyond the file itself.
type Options struct {
	// Location is the régie's time zone, which decides each entry's day;
	// nil: the one of the file's settings (Europe/Paris when unset).
	Location *time.Location
	// Expect are journal heads printed elsewhere (the Z report's last
	// entry): the file's chain must hold each of them.
	Expect []Anchor
	// Receipts are receipt numbers with the fingerprint the receipt prints.
	Receipts []ReceiptAnchor
	// Server, when set, reads the server's copy of the journal, which the
	// file's chain is compared with.
	Server ServerCopy
}

// Verify re-checks a counter file without changing it or leaving anything
// beside it. It builds a fresh counter database with the shipped
// migrations, replays every journal entry of the file into it through the
// counter's own Append, and compares every table derived from the journal,
// row by row and column by column; it compares the schema with the shipped
// one; it checks the chain, each entry's coherence with its data, and the
// rules of meaning a rebuild cannot see — regie.JournalRules, those the
// counter and the server apply; and it checks the anchors given in opt.
func Verify(ctx context.Context, file string, opt ...Options) (*Report, error) {
	var o Options
	if len(opt) > 0 {
		o = opt[0]
	}
	db, cleanup, err := openChecked(ctx, file)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("verify: %w", err)
	}
	defer tx.Rollback()
	var version int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return nil, fmt.Errorf("verify: %s: %w", file, err)
	}
	if version > latestMigration() {
		return nil, fmt.Errorf("verify: %s was written by a newer version of the program: %w", file, regie.Errorf(regie.EInvalid,
			"Ce fichier a été écrit par une version plus récente du programme (schéma %d, celle-ci connaît le %d) : vérifiez-le avec celle-là.",
			version, latestMigration()))
	}
	fresh, err := openMemory(ctx, version, true)
	if err != nil {
		return nil, fmt.Errorf("verify: %w", err)
	}
	defer fresh.Close()
	k, err := newCheck(ctx, tx, fresh, o.Location)
	if err != nil {
		return nil, err
	}
	k.v = newVerifier(k, nil)
	if err := k.run(1, nil); err != nil {
		return nil, err
	}
	k.v.reference()
	k.anchors(o.Expect, o.Receipts)
	if o.Server != nil {
		if err := k.serverCopy(o.Server); err != nil {
			return nil, err
		}
	}
	return k.r, nil
}

// openChecked opens the file read-only and immutable, so that SQLite
// writes no -wal or -shm beside it. When a -wal with committed
// transactions lies beside it (a counter still running, or killed), the
// file and its WAL are copied to a private temporary folder and that copy
// is checked, so nothing committed is missed and nothing is written beside
// the original.
func openChecked(ctx context.Context, file string) (*sql.DB, func(), error) {
	if _, err := os.Stat(file); err != nil {
		return nil, nil, fmt.Errorf("verify: %w", err)
	}
	dsn := sqlitedb.URI(file, url.Values{"mode": {"ro"}, "immutable": {"1"}, "_pragma": {"query_only(1)"}})
	cleanup := func() {}
	if st, err := os.Stat(file + "-wal"); err == nil && st.Size() > 0 {
		dir, err := os.MkdirTemp("", "regie-verify-*")
		if err != nil {
			return nil, nil, fmt.Errorf("verify: %w", err)
		}
		cleanup = func() { os.RemoveAll(dir) }
		copyTo := dir + string(os.PathSeparator) + "copie.db"
		for _, suffix := range []string{"", "-wal"} {
			if err := copyFile(file+suffix, copyTo+suffix); err != nil {
				cleanup()
				return nil, nil, fmt.Errorf("verify: copy %s: %w", file, err)
			}
		}
		dsn = sqlitedb.URI(copyTo, url.Values{"_pragma": {"busy_timeout(5000)"}})
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		cleanup()
		return nil, nil, fmt.Errorf("verify: open %s: %w", file, err)
	}
	db.SetMaxOpenConns(1)
	var appID int
	if err := db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		db.Close()
		cleanup()
		return nil, nil, fmt.Errorf("verify: %s: %v: %w", file, err,
			regie.Errorf(regie.EInvalid, "Fichier illisible : ce n'est pas une base SQLite, ou elle est endommagée (%v).", err))
	}
	if appID != ApplicationID {
		db.Close()
		cleanup()
		return nil, nil, fmt.Errorf("verify: %s is not a Régie counter file (application_id %#x): %w", file, appID,
			regie.Errorf(regie.EInvalid, "Ce n'est pas un fichier de caisse Régie."))
	}
	return db, func() { db.Close(); cleanup() }, nil
}

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o600)
}
