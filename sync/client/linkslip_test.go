package client_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/sync/client"
	"github.com/regie-fr/regie/sync/protocol"
)

// slipServer follows the link-slips contract of sync/protocol/extra.go: a
// counter's credential, a LinkSlipRequest, the same slip for the same id.
type slipServer struct {
	credential string
	mu         sync.Mutex
	slips      map[string]protocol.LinkSlip // by request id
	requests   int
	dropFirst  bool // make the slip, then cut the connection
}

func (s *slipServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != protocol.PathLinkSlips {
		http.NotFound(w, r)
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+s.credential {
		w.WriteHeader(http.StatusUnauthorized)
		json.NewEncoder(w).Encode(protocol.ErrorBody{Code: protocol.CodeUnauthorized, Message: "Poste inconnu ou révoqué par le serveur : prévenez l'administrateur."})
		return
	}
	var req protocol.LinkSlipRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.ID == "" {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	if req.HouseholdID != "h-0001" {
		w.WriteHeader(http.StatusNotFound)
		json.NewEncoder(w).Encode(protocol.ErrorBody{Code: "household_not_found", Message: "Foyer inconnu du serveur : " + req.HouseholdID + "."})
		return
	}
	s.mu.Lock()
	s.requests++
	slip, ok := s.slips[req.ID]
	if !ok {
		slip = protocol.LinkSlip{ID: req.ID, HouseholdID: req.HouseholdID, Account: "A-0001", HouseholdName: "Lefèvre Hélène",
			Code: "SLIP-" + string(rune('A'+len(s.slips))), ExpiresAt: time.Date(2026, 12, 27, 0, 0, 0, 0, time.UTC)}
		s.slips[req.ID] = slip
	}
	drop := s.dropFirst
	s.dropFirst = false
	s.mu.Unlock()
	if drop {
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
		return
	}
	json.NewEncoder(w).Encode(slip)
}

// slipCounter is a counter file enrolled (by hand) on url with credential.
func slipCounter(t *testing.T, url, credential string) *counter {
	k := &counter{t: t, code: "C01", path: t.TempDir() + "/C01.db", clock: &clock{t: time.Now()}}
	k.open(client.Options{Timeout: 2 * time.Second})
	if url != "" {
		if err := k.c.SaveEnrolment(context.Background(), url, credential); err != nil {
			t.Fatal(err)
		}
	}
	return k
}

// TestLinkSlip: the slip comes back for the household; a lost answer is
// retried with the same id and gives the same slip, made once; a refusal
// carries the server's French words; offline, not enrolled, or facing a
// server without the endpoint, a French message says the slip needs the
// server.
func TestLinkSlip(t *testing.T) {
	ctx := context.Background()
	ss := &slipServer{credential: "cred-C01", slips: map[string]protocol.LinkSlip{}, dropFirst: true}
	srv := httptest.NewServer(ss)
	defer srv.Close()
	k := slipCounter(t, srv.URL, "cred-C01")
	req := protocol.LinkSlipRequest{ID: "0190a0b0-0000-7000-8000-000000000001", HouseholdID: "h-0001", Agent: "a-1", Document: "passeport"}
	slip, err := k.sync.LinkSlip(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if slip.Code != "SLIP-A" || slip.Account != "A-0001" || slip.HouseholdName != "Lefèvre Hélène" || slip.ExpiresAt.IsZero() {
		t.Fatalf("slip %+v", slip)
	}
	if ss.requests != 2 || len(ss.slips) != 1 {
		t.Fatalf("%d requests made %d slips: want the lost answer retried once, one slip", ss.requests, len(ss.slips))
	}
	again, err := k.sync.LinkSlip(ctx, req)
	if err != nil || again.Code != slip.Code {
		t.Fatalf("same id again: %+v %v", again, err)
	}
	other := req
	other.ID = "0190a0b0-0000-7000-8000-000000000002"
	if s, err := k.sync.LinkSlip(ctx, other); err != nil || s.Code == slip.Code {
		t.Fatalf("a new id: %+v %v", s, err)
	}

	unknown := req
	unknown.HouseholdID, unknown.ID = "h-9999", "0190a0b0-0000-7000-8000-000000000003"
	wantMsg := func(err error, want string) {
		t.Helper()
		if err == nil || !strings.Contains(regie.ErrorMessage(err), want) {
			t.Fatalf("error %v, want %q", err, want)
		}
	}
	_, err = k.sync.LinkSlip(ctx, unknown)
	wantMsg(err, "Foyer inconnu du serveur")

	bad := slipCounter(t, srv.URL, "wrong")
	_, err = bad.sync.LinkSlip(ctx, req)
	wantMsg(err, "révoqué")

	_, err = k.sync.LinkSlip(ctx, protocol.LinkSlipRequest{ID: "x", HouseholdID: "h-0001", Agent: "a-1"})
	wantMsg(err, "pièce d'identité manquant")

	notEnrolled := slipCounter(t, "", "")
	_, err = notEnrolled.sync.LinkSlip(ctx, req)
	wantMsg(err, "a besoin du serveur")

	// A server of before the link slips: its router answers 404.
	old := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(old.Close)
	oldK := slipCounter(t, old.URL, "credential")
	_, err = oldK.sync.LinkSlip(ctx, req)
	wantMsg(err, "doit être mis à jour")

	srv.Close()
	_, err = k.sync.LinkSlip(ctx, req)
	wantMsg(err, "a besoin du serveur")
	var p app.SyncPoint
	if p, err = k.c.SyncPoint(ctx); err != nil || p.Last != 0 {
		t.Fatalf("asking for a slip wrote to the journal: %+v %v", p, err)
	}
}
