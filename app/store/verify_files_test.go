package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app/store"
)

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		info, _ := e.Info()
		out = append(out, fmt.Sprintf("%s %d %v", e.Name(), info.Size(), info.ModTime()))
	}
	return out
}

// TestVerifyOddNamesLeaveNothingBeside opens and checks counter files
// whose names have spaces, '?', '#', '%' and accents, and checks that
// verify leaves the folder exactly as it found it.
func TestVerifyOddNamesLeaveNothingBeside(t *testing.T) {
	orig := dayFile(t)
	for _, name := range []string{"caisse du matin.db", "caisse?mode=memory.db", "caisse#2.db", "caisse%20x.db", "régie été ñ.db"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, name)
			data, err := os.ReadFile(orig)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
			st, err := store.Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			var n int
			err = st.View(context.Background(), func(tx *store.Tx) (err error) { n, err = tx.CountPayments(); return err })
			st.Close()
			if err != nil || n != 7 {
				t.Fatalf("store.Open(%q) read %d payments (%v): another file was opened", name, n, err)
			}
			before := listDir(t, dir)
			if len(before) != 1 {
				t.Fatalf("after store.Open and Close: %v", before)
			}
			r := verifyFile(t, path)
			if !r.OK() || r.Payments != 7 {
				t.Fatalf("verify %q: %d payments, %v", name, r.Payments, r.Problems)
			}
			if after := listDir(t, dir); !slices.Equal(before, after) {
				t.Fatalf("verify changed the folder:\nbefore %v\nafter  %v", before, after)
			}
		})
	}
}

// TestVerifyLiveFile checks a file whose counter is still running, its
// last payments only in the -wal beside it: verify sees them, and leaves
// the folder as it found it.
func TestVerifyLiveFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "caisse.db")
	data, err := os.ReadFile(dayFile(t))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, data, 0o600)
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.DB().Exec(`PRAGMA wal_autocheckpoint = 0`); err != nil {
		t.Fatal(err)
	}
	p, e := lastPayment(t, path)
	r := &regie.Reprint{ID: "live", PaymentID: p.ID, Receipt: p.Receipt, Agent: e.Agent, At: e.At.Add(time.Minute)}
	err = st.Update(ctx, func(tx *store.Tx) error {
		prev, err := tx.LastEntry()
		if err != nil {
			return err
		}
		en, err := regie.NewEntry(prev, prev.Counter, regie.KindReprint, r.ID, r.Agent, r.At, r)
		if err != nil {
			return err
		}
		return tx.Append(en, r)
	})
	if err != nil {
		t.Fatal(err)
	}
	before := listDir(t, dir)
	rep := verifyFile(t, path)
	if !rep.OK() || rep.LastSeq != e.Seq+1 {
		t.Fatalf("live file: last entry %d, want %d: %v", rep.LastSeq, e.Seq+1, rep.Problems)
	}
	if after := listDir(t, dir); !slices.Equal(before, after) {
		t.Fatalf("verify changed the folder:\nbefore %v\nafter  %v", before, after)
	}
}

// TestVerifyOlderFile checks a file written before the last migration
// (as an archived file is): the reference database is built at the
// file's own version, so its schema is as shipped then.
func TestVerifyOlderFile(t *testing.T) {
	path := dayFile(t)
	rawExec(t, path, `DROP TABLE verified`, `ALTER TABLE sync_state DROP COLUMN last_sync`, `PRAGMA user_version = 4`)
	if r := verifyFile(t, path); !r.OK() {
		t.Fatalf("a file of schema 4: %v", r.Problems)
	}
	rawExec(t, path, `DROP TRIGGER journal_no_update`)
	mustFind(t, verifyFile(t, path), "le déclencheur journal_no_update manque")
	rawExec(t, path, `PRAGMA user_version = 99`)
	if _, err := store.Verify(context.Background(), path); err == nil || !strings.Contains(err.Error(), "newer version") {
		t.Fatalf("a file of a newer program: %v", err)
	}
}
