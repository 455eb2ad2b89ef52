package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/regie-fr/regie/app/store"
)

// TestJournalTablesRefuseChanges checks that the store itself, not only the
// code, refuses UPDATE and DELETE on every journal table.
func TestJournalTablesRefuseChanges(t *testing.T) {
	path := dayFile(t)
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	db := st.DB()
	tables := []string{"journal", "sessions", "payments", "tenders", "allocations", "cancellations",
		"reprints", "logins", "closings", "deposits", "deposit_checks"}
	for _, table := range tables {
		t.Run(table, func(t *testing.T) {
			var n int
			if err := db.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil || n == 0 {
				t.Fatalf("%s has %d rows (%v): the test needs some", table, n, err)
			}
			for _, q := range []string{
				`UPDATE ` + table + ` SET rowid = rowid`,
				`DELETE FROM ` + table,
			} {
				_, err := db.Exec(q)
				if strings.Contains(q, "UPDATE") && err != nil && strings.Contains(err.Error(), "no such column: rowid") {
					// WITHOUT ROWID tables: touch a real column instead.
					_, err = db.Exec(`UPDATE ` + table + ` SET seq = seq`)
					if err != nil && strings.Contains(err.Error(), "no such column") {
						_, err = db.Exec(`UPDATE ` + table + ` SET payment_id = payment_id`)
					}
				}
				if err == nil || !strings.Contains(err.Error(), "append-only") {
					t.Fatalf("%s: want an append-only refusal, got %v", q, err)
				}
			}
			var after int
			if err := db.QueryRow(`SELECT count(*) FROM ` + table).Scan(&after); err != nil || after != n {
				t.Fatalf("%s: %d rows before, %d after (%v)", table, n, after, err)
			}
		})
	}
}
