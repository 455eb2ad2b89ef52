// Package servertest sets up the central server for tests of other
// packages: a SQLite file seeded with the demo régie (its agents,
// households, invoices and tariffs) and counters to enrol. Tests only.
package servertest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/credential"
	"github.com/regie-fr/regie/server/demoserver"
	"github.com/regie-fr/regie/server/store"
)

// Seed fills a server store with the demo régie, with cheap PIN hashes.
func Seed(tb testing.TB, st *store.Store) {
	tb.Helper()
	if err := demoserver.Seed(context.Background(), st, bcrypt.MinCost); err != nil {
		tb.Fatal(err)
	}
}

// AddCounter creates a counter of the demo régie and gives its one-time
// enrolment code.
func AddCounter(tb testing.TB, st *store.Store, code string) string {
	tb.Helper()
	enrol := credential.NewEnrolCode()
	err := st.Update(context.Background(), func(tx *store.Tx) error {
		_, err := tx.CreateCounter(regie.Counter{Code: code, Regie: "ENF", Name: "Guichet " + code},
			credential.HashEnrolCode(enrol), time.Now().Add(time.Hour), time.Now())
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return enrol
}

// Push stores a counter's journal entries on the server the way the sync
// API does (store.Tx.PushChecked: links and rules), in one transaction,
// with the server's clock at now; a refusal fails the test.
func Push(tb testing.TB, st *store.Store, regieCode, counter string, entries []regie.Entry, now time.Time) *store.PushResult {
	tb.Helper()
	var res *store.PushResult
	err := st.Update(context.Background(), func(tx *store.Tx) error {
		c, err := tx.CounterByCode(regieCode, counter)
		if err != nil {
			return err
		} else if c == nil {
			return fmt.Errorf("no counter %s/%s", regieCode, counter)
		}
		res, err = tx.PushChecked(c, store.Batches(store.PrepareBatch(entries)), store.PushOptions{Now: now})
		return err
	})
	if err != nil {
		tb.Fatalf("push %s/%s: %v", regieCode, counter, err)
	}
	return res
}
