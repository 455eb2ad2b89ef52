package e2e

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/regie-fr/regie/server/bank"
	"github.com/regie-fr/regie/server/store"
)

// bankWorld imports the demo's camt.053 statement for ENF, as its
// régisseur would, so that the crawl meets a statement, matched and
// ambiguous credits, a credit left to identify and their pages.
func bankWorld(t *testing.T, srv *store.Store) {
	t.Helper()
	data, err := os.ReadFile("../server/bank/testdata/enf-camt053-001-02.xml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := bank.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	err = srv.Update(context.Background(), func(tx *store.Tx) error {
		_, err := bank.Record(tx, &bank.Import{Regie: "ENF", StaffID: "s-0001", Filename: "releve-enf.xml", Data: data, Statement: s}, time.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
