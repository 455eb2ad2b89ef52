package publik

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/regie-fr/regie/server/auth"
)

// BenchmarkSignedInvoices serves a signed GET invoices/ for a linked
// Publik user through the API's handler (no network): signature, the
// nonce's durable write, the households, the invoices, JSON.
// BenchmarkNonceFloor is its floor.
func BenchmarkSignedInvoices(b *testing.B) {
	f := newFixture(b)
	f.link("u-bench")
	h := f.mux(f.st)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q, err := auth.SignQuery("NameID=u-bench", testOrig, []byte(testKey), "sha256", f.now, fmt.Sprintf("b%d", i))
		if err != nil {
			b.Fatal(err)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/api/regie/enf/invoices/?"+q, nil))
		if w.Code != http.StatusOK {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
	}
}

// BenchmarkNonceFloor is the nonce's durable write alone (one SQLite write
// transaction with synchronous=FULL): what every signed call costs at the
// least, since nonces live in the database (rule 11).
func BenchmarkNonceFloor(b *testing.B) {
	f := newFixture(b)
	n := f.st.PublikNonces()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := n.UseNonce(context.Background(), testOrig, fmt.Sprintf("f%d", i), f.now.Add(time.Minute), f.now); err != nil {
			b.Fatal(err)
		}
	}
}
