package store_test

import (
	"context"
	"errors"
	"io/fs"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/regie-fr/regie/server/store"
)

// TestBackupWhileWriting takes copies while another goroutine keeps
// appending to the audit trail in transactions of a few rows: every copy
// holds whole transactions only (a multiple of the batch), its chain holds,
// and the copy's version is the live file's.
func TestBackupWhileWriting(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "serveur.db")
	st, err := store.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	const batch = 3
	var stop atomic.Bool
	done := make(chan error, 1)
	go func() {
		for i := 0; !stop.Load(); i++ {
			err := st.Update(ctx, func(tx *store.Tx) error {
				for j := range batch {
					if err := tx.AppendAudit(&store.AuditEntry{At: time.Now(), Staff: "test", Action: "backup.test",
						Target: strconv.Itoa(i*batch + j)}); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	dir := t.TempDir()
	for i := range 5 {
		to := filepath.Join(dir, "copie-"+strconv.Itoa(i)+".db")
		v, err := store.Backup(ctx, file, to)
		if err != nil {
			t.Fatal(err)
		}
		if v != store.LatestVersion() {
			t.Fatalf("copy version %d, want %d", v, store.LatestVersion())
		}
		cp, err := store.Open(ctx, to)
		if err != nil {
			t.Fatal(err)
		}
		var rep *store.AuditReport
		err = cp.View(ctx, func(tx *store.Tx) (err error) { rep, err = tx.VerifyAudit(); return err })
		cp.Close()
		if err != nil {
			t.Fatal(err)
		}
		if rep.BrokenAt != 0 || rep.Problem != "" || rep.Entries%batch != 0 {
			t.Fatalf("copy %d: %+v", i, rep)
		}
		if i == 4 && rep.Entries == 0 {
			t.Fatal("the writer wrote nothing during the copies")
		}
		if _, err := store.Backup(ctx, file, to); !errors.Is(err, fs.ErrExist) {
			t.Fatalf("backup over an existing copy: %v", err)
		}
		time.Sleep(5 * time.Millisecond)
	}
	stop.Store(true)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
