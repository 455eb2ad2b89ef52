package store_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/regie-fr/regie/server/store"
)

// TestEnrolRetry walks an enrolment code through its life: first use,
// retries with the same credential within the window, a retry with another
// credential, a retry too late, a new code, a revocation.
func TestEnrolRetry(t *testing.T) {
	st, c := open(t) // code hash "h", valid for an hour
	ctx := context.Background()
	t0 := time.Now()
	enrol := func(code, cred string, at time.Time) *store.Counter {
		t.Helper()
		var k *store.Counter
		if err := st.Update(ctx, func(tx *store.Tx) (err error) { k, err = tx.Enrol(code, cred, at); return err }); err != nil {
			t.Fatal(err)
		}
		return k
	}
	byCred := func(cred string) *store.Counter {
		t.Helper()
		var k *store.Counter
		if err := st.View(ctx, func(tx *store.Tx) (err error) { k, err = tx.CounterByCredential(cred); return err }); err != nil {
			t.Fatal(err)
		}
		return k
	}
	if k := enrol("h", "cred1", t0); k == nil || k.ID != c.ID || !k.Enrolled {
		t.Fatalf("first enrolment: %+v", k)
	}
	if k := enrol("h", "cred1", t0.Add(store.EnrolRetryWindow-time.Second)); k == nil || k.ID != c.ID {
		t.Fatalf("retry within the window with the same credential refused: %+v", k)
	}
	if k := enrol("h", "cred2", t0.Add(time.Minute)); k != nil {
		t.Fatal("a retry bringing another credential was accepted")
	}
	if byCred("cred2") != nil || byCred("cred1") == nil {
		t.Fatal("the refused retry changed the credential")
	}
	if k := enrol("h", "cred1", t0.Add(store.EnrolRetryWindow+time.Second)); k != nil {
		t.Fatal("retry after the window accepted")
	}
	if k := enrol("nope", "cred1", t0); k != nil {
		t.Fatal("unknown code accepted")
	}

	// A new code for a reinstalled machine: the old credential works until
	// the new code is used, then only the new one does; the old code is dead.
	if err := st.Update(ctx, func(tx *store.Tx) error {
		return tx.NewEnrolCode("ENF", "C01", "h2", t0.Add(time.Hour))
	}); err != nil {
		t.Fatal(err)
	}
	if byCred("cred1") == nil {
		t.Fatal("old credential refused before the new code was used")
	}
	if k := enrol("h", "cred1", t0.Add(time.Minute)); k != nil {
		t.Fatal("the replaced code still enrols")
	}
	if k := enrol("h2", "cred3", t0.Add(2*time.Minute)); k == nil {
		t.Fatal("new code refused")
	}
	if byCred("cred1") != nil || byCred("cred3") == nil {
		t.Fatal("after re-enrolment the old credential must be refused and the new one accepted")
	}
	var n int
	if err := st.QueryRow(`SELECT count(*) FROM counters WHERE credential_hash IS NOT NULL`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d credentials on the server (%v), want 1", n, err)
	}

	// Revoked: even a retry within the window is refused.
	if err := st.Update(ctx, func(tx *store.Tx) error { return tx.RevokeCounter("ENF", "C01", t0) }); err != nil {
		t.Fatal(err)
	}
	if k := enrol("h2", "cred3", t0.Add(3*time.Minute)); k != nil {
		t.Fatal("a revoked counter re-enrolled")
	}
}

// TestKeyIsMadeOnceAndKept: a server key is made once and read back from
// the database afterwards, so a retry derives the same credential.
func TestKeyIsMadeOnceAndKept(t *testing.T) {
	st, _ := open(t)
	ctx := context.Background()
	var a, b, other []byte
	get := func(name string, into *[]byte) {
		if err := st.Update(ctx, func(tx *store.Tx) (err error) { *into, err = tx.Key(name, 32); return err }); err != nil {
			t.Fatal(err)
		}
	}
	get("enrol", &a)
	get("enrol", &b)
	get("other", &other)
	if len(a) != 32 || !bytes.Equal(a, b) {
		t.Fatalf("secret not kept: %x then %x", a, b)
	}
	if bytes.Equal(a, other) {
		t.Fatal("two secrets are equal")
	}
}
