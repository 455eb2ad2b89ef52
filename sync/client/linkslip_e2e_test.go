package client_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/portal"
	"github.com/regie-fr/regie/sync/client"
	"github.com/regie-fr/regie/sync/protocol"
)

// TestLinkSlipThroughTheRealServer asks the real server/api for a slip with
// the counter's client, as the cashier's button does, and links a household
// on the portal's store with the printed code: the two sides of the
// contract of sync/protocol/extra.go agree, a retry gets the same code, and
// the code links once.
func TestLinkSlipThroughTheRealServer(t *testing.T) {
	s := newServer(t, "C01")
	k := newCounter(t, s, "C01", client.Options{})
	ctx := context.Background()
	req := protocol.LinkSlipRequest{ID: uuid.NewString(), HouseholdID: "h-0001", Agent: "a-0001", Document: "carte d'identité"}
	slip, err := k.sync.LinkSlip(ctx, req)
	if err != nil {
		t.Fatalf("link slip: %v", err)
	}
	again, err := k.sync.LinkSlip(ctx, req)
	if err != nil {
		t.Fatalf("link slip again: %v", err)
	}
	if slip.Code == "" || again.Code != slip.Code || slip.HouseholdID != "h-0001" {
		t.Fatalf("slips %+v and %+v: want one code for one request id", slip, again)
	}
	if d := time.Until(slip.ExpiresAt); d < 29*24*time.Hour || d > 31*24*time.Hour {
		t.Fatalf("slip valid until %s, want 30 days", slip.ExpiresAt)
	}
	if _, err := k.sync.LinkSlip(ctx, protocol.LinkSlipRequest{ID: uuid.NewString(), HouseholdID: "h-9999",
		Agent: "a-0001", Document: "passeport"}); err == nil || regie.ErrorMessage(err) == "" {
		t.Fatalf("unknown household: %v, want a French refusal", err)
	}

	now := time.Now()
	link := func(subject string) error {
		_, err := s.st.Portal().Link(ctx, portal.LinkRequest{Org: "ville", Subject: subject, FamilyName: "Autre", BirthDate: "1980-01-01",
			Name: "Quelqu'un", SlipCode: slip.Code, Client: "c", At: now, Day: now.Format(time.DateOnly),
			Since: now.Add(-time.Hour), LimitIdentity: 5})
		return err
	}
	if err := link("sub-1"); err != nil {
		t.Fatalf("link with the slip: %v", err)
	}
	hs, err := s.st.Portal().LinkedHouseholds(ctx, "ville", "sub-1")
	if err != nil || len(hs) != 1 || hs[0].ID != "h-0001" {
		t.Fatalf("linked households %+v, %v", hs, err)
	}
	if err := link("sub-2"); regie.ErrorCodeOf(err) != regie.EBadCredentials {
		t.Fatalf("second use of the slip: %v, want bad credentials", err)
	}
}
