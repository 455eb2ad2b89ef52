// Package servertest sets up the central server for tests of other
// packages: a SQLite file seeded with the demo régie (its agents,
// households, invoices and tariffs) and counters to enrol. Tests only.
package servertest

import (
	"context"
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
