package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/api"
	"github.com/regie-fr/regie/server/portal"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/sync/protocol"
)

// slipEnv is the API with agents and a household to make slips for.
func slipEnv(t *testing.T) *env {
	e := newEnv(t, api.Options{})
	err := e.st.Update(context.Background(), func(tx *store.Tx) error {
		for _, a := range []regie.Agent{{ID: "a-1", Login: "mdupont", Name: "Marie Dupont", Role: regie.RoleMandataire, PINHash: "x", Active: true},
			{ID: "a-2", Login: "parti", Name: "Parti", Role: regie.RoleMandataire, PINHash: "x"}} {
			if err := tx.SaveAgent("ENF", &a); err != nil {
				return err
			}
		}
		return tx.UpsertHousehold(&regie.Household{ID: "h1", Account: "F001001", Name: "Lefèvre Hélène", AccessCode: "K7Q101X",
			Members: []regie.Member{{FirstName: "Hélène", LastName: "Lefèvre", BirthDate: "1985-04-12", Holder: true}}})
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func slipCount(t *testing.T, e *env) int {
	var n int
	if err := e.st.QueryRow(`SELECT count(*) FROM portal_link_slips`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestLinkSlips: a counter's agent gets a one-time slip for any household
// of the city; a retry gets the same code; the server keeps only its hash;
// the code links once on the portal.
func TestLinkSlips(t *testing.T) {
	e := slipEnv(t)
	req := protocol.LinkSlipRequest{ID: "0193a1c2-0000-7000-8000-000000000001", HouseholdID: "h1", Agent: "a-1", Document: "carte d'identité"}
	var s protocol.LinkSlip
	if st := e.do("POST", protocol.PathLinkSlips, e.creds["C01"], req, &s); st != http.StatusOK {
		t.Fatalf("slip: %d %+v", st, s)
	}
	if len(s.Code) != 19 || s.ID != req.ID || s.Account != "F001001" || s.HouseholdName != "Lefèvre Hélène" ||
		s.ExpiresAt.Sub(time.Now().Add(30*24*time.Hour)).Abs() > time.Minute {
		t.Fatalf("slip %+v", s)
	}
	var again protocol.LinkSlip
	if st := e.do("POST", protocol.PathLinkSlips, e.creds["C01"], req, &again); st != http.StatusOK || again != s {
		t.Fatalf("retry: %d %+v, want %+v", st, again, s)
	}
	var stored int
	e.st.QueryRow(`SELECT count(*) FROM portal_link_slips WHERE code_hash = ? OR document LIKE ? OR agent LIKE ?`,
		s.Code, "%"+s.Code+"%", "%"+s.Code+"%").Scan(&stored)
	if stored != 0 || slipCount(t, e) != 1 {
		t.Fatalf("code stored in clear (%d) or %d slips", stored, slipCount(t, e))
	}
	// Another counter, even of another régie, may ask for the household:
	// households are the city's.
	var other protocol.LinkSlip
	req2 := req
	req2.ID = "0193a1c2-0000-7000-8000-000000000002"
	if st := e.do("POST", protocol.PathLinkSlips, e.creds["C02"], req2, &other); st != http.StatusOK || other.Code == s.Code {
		t.Fatalf("second slip: %d %+v", st, other)
	}

	// Refusals change nothing.
	before := slipCount(t, e)
	for name, c := range map[string]struct {
		cred   string
		body   any
		status int
		code   string
	}{
		"no credential":      {"", req, http.StatusUnauthorized, protocol.CodeUnauthorized},
		"unknown credential": {"pas-un-poste", req, http.StatusUnauthorized, protocol.CodeUnauthorized},
		"id not a UUID":      {e.creds["C01"], protocol.LinkSlipRequest{ID: "1", HouseholdID: "h1", Agent: "a-1", Document: "passeport"}, http.StatusBadRequest, protocol.CodeMalformed},
		"no document":        {e.creds["C01"], protocol.LinkSlipRequest{ID: "0193a1c2-0000-7000-8000-000000000003", HouseholdID: "h1", Agent: "a-1"}, http.StatusUnprocessableEntity, string(regie.EInvalid)},
		"unknown household":  {e.creds["C01"], protocol.LinkSlipRequest{ID: "0193a1c2-0000-7000-8000-000000000004", HouseholdID: "h9", Agent: "a-1", Document: "passeport"}, http.StatusNotFound, string(regie.EHouseholdNotFound)},
		"disabled agent":     {e.creds["C01"], protocol.LinkSlipRequest{ID: "0193a1c2-0000-7000-8000-000000000005", HouseholdID: "h1", Agent: "a-2", Document: "passeport"}, http.StatusNotFound, string(regie.EAgentNotFound)},
		"id reused":          {e.creds["C01"], protocol.LinkSlipRequest{ID: req2.ID, HouseholdID: "h1", Agent: "a-1", Document: "passeport"}, http.StatusConflict, string(regie.EConflict)},
		"malformed":          {e.creds["C01"], []byte(`{"id":`), http.StatusBadRequest, protocol.CodeMalformed},
	} {
		var eb protocol.ErrorBody
		if st := e.do("POST", protocol.PathLinkSlips, c.cred, c.body, &eb); st != c.status || eb.Code != c.code || eb.Message == "" {
			t.Errorf("%s: %d %+v, want %d %s", name, st, eb, c.status, c.code)
		}
	}
	if n := slipCount(t, e); n != before {
		t.Fatalf("a refused request wrote a slip: %d, was %d", n, before)
	}

	// The code links once, typed as people type it.
	link := func(subject string) error {
		_, err := e.st.Portal().Link(context.Background(), portal.LinkRequest{Org: "ville", Subject: subject, Name: "Julien Lefèvre",
			SlipCode: strings.ToLower(s.Code), Client: "c", At: time.Now(), Day: time.Now().Format(time.DateOnly),
			Since: time.Now().Add(-time.Hour), LimitIdentity: 5})
		return err
	}
	if err := link("sub-julien"); err != nil {
		t.Fatal(err)
	}
	if err := link("sub-autre"); regie.ErrorCodeOf(err) != regie.EBadCredentials {
		t.Fatalf("second use: %v", err)
	}
}
