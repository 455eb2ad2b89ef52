package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/api"
	"github.com/regie-fr/regie/server/credential"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/server/store/storetest"
	"github.com/regie-fr/regie/sync/protocol"
)

// TestEnrolIsRetryable: the same code sent again within the retry window
// gets the same credential (written as the agent may type it: lower case,
// spaces); after the window it is refused; a new code makes the first code
// and the first credential useless.
func TestEnrolIsRetryable(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, storetest.DB(t, "serveur"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	srv := httptest.NewServer(api.New(st, api.Options{Logger: quiet, Now: clock}))
	defer srv.Close()
	code := credential.NewEnrolCode()
	err = st.Update(ctx, func(tx *store.Tx) error {
		r := regie.Regie{Code: "ENF", Name: "Régie", Modes: []regie.PaymentMode{regie.Cash}, DepositPeriodDays: 7}
		if err := tx.SaveRegie(&r, true); err != nil {
			return err
		}
		_, err := tx.CreateCounter(regie.Counter{Code: "C01", Regie: "ENF", Name: "C01"}, credential.HashEnrolCode(code),
			now.Add(time.Hour), now)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	enrol := func(code string) (int, string) {
		t.Helper()
		body, _ := json.Marshal(protocol.EnrolRequest{Code: code})
		resp, err := http.Post(srv.URL+protocol.PathEnrol, "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var res protocol.EnrolResponse
		json.NewDecoder(resp.Body).Decode(&res)
		return resp.StatusCode, res.Credential
	}
	pull := func(cred string) int {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+protocol.PathPull, nil)
		req.Header.Set("Authorization", "Bearer "+cred)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}

	status, first := enrol(code)
	if status != 200 || first == "" {
		t.Fatalf("enrol: %d", status)
	}
	advance(store.EnrolRetryWindow - time.Minute)
	typed := strings.ToLower(strings.ReplaceAll(code, "-", " "))
	if status, again := enrol(typed); status != 200 || again != first {
		t.Fatalf("retry within the window: %d, same credential %v", status, again == first)
	}
	if pull(first) != 200 {
		t.Fatal("the credential does not work")
	}
	advance(2 * time.Minute)
	if status, _ := enrol(code); status != http.StatusUnauthorized {
		t.Fatalf("retry after the window: %d, want 401", status)
	}

	code2 := credential.NewEnrolCode()
	if err := st.Update(ctx, func(tx *store.Tx) error {
		return tx.NewEnrolCode("ENF", "C01", credential.HashEnrolCode(code2), now.Add(time.Hour))
	}); err != nil {
		t.Fatal(err)
	}
	status, second := enrol(code2)
	if status != 200 || second == first {
		t.Fatalf("enrol with a new code: %d, new credential %v", status, second != first)
	}
	if pull(first) != http.StatusUnauthorized || pull(second) != 200 {
		t.Fatal("after re-enrolment the old credential must be refused and the new one accepted")
	}
	if status, _ := enrol(code); status != http.StatusUnauthorized {
		t.Fatalf("the first code after a new one: %d, want 401", status)
	}
}
