package bank

import (
	"testing"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
)

// TestOnlyDeclaredAccounts: a régie imports only the statements of the
// accounts its settings declare, so no régisseur binds another régie's
// account to theirs by importing it first; an account declared by two
// régies stays the first importer's.
func TestOnlyDeclaredAccounts(t *testing.T) {
	e := newEnv(t)
	before := e.dump()
	if _, err := e.importFile("enf-camt053-001-02.xml", "PIS"); regie.ErrorCodeOf(err) != regie.EForbidden {
		t.Fatalf("PIS imports an account it does not declare: %v", err)
	}
	if e.dump() != before {
		t.Fatal("a refused import wrote something")
	}
	e.update(func(tx *store.Tx) error {
		r, err := tx.Regie("PIS")
		if err != nil {
			return err
		}
		r.BankAccounts = []string{enfIBAN}
		return tx.SaveRegie(r, false)
	})
	if _, err := e.importFile("enf-camt053-001-02.xml", "ENF"); err != nil {
		t.Fatal(err)
	}
	before = e.dump()
	if _, err := e.importFile("enf-camt053-001-08.xml", "PIS"); regie.ErrorCodeOf(err) != regie.EForbidden {
		t.Fatalf("PIS imports ENF's account: %v", err)
	}
	if e.dump() != before {
		t.Fatal("a refused import wrote something")
	}
}
