package ledger_test

import (
	"testing"

	"github.com/regie-fr/regie/server/ledger"
)

// TestPaymentIDVector pins the id docs/journal.md specifies, computed
// apart with Python's uuid.uuid5 (the command is in the document).
func TestPaymentIDVector(t *testing.T) {
	if got, want := ledger.PaymentID("ENF", ledger.SourcePayFiP, "IDOP-1"), "5c1dfe6d-71dc-5575-81b9-dba8b70c7e26"; got != want {
		t.Fatalf("PaymentID = %s, want %s", got, want)
	}
}
