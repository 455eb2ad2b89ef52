package protocol_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/sync/protocol"
)

// TestMarshalPushIsJSONMarshal: the hand-written push encoding gives the
// same value as encoding/json, and entries read back hash as they did.
func TestMarshalPushIsJSONMarshal(t *testing.T) {
	var es []regie.Entry
	var prev *regie.Entry
	for i, agent := range []string{"a-1", "Hélène \"H\" \\ N'Diaye", ""} {
		e, err := regie.NewEntry(prev, "C01", regie.KindLogin, "id-"+agent, agent,
			time.Date(2026, 11, 27, 8, 0, 0, 120_000_000*i, time.UTC), map[string]any{"who": agent, "n": i})
		if err != nil {
			t.Fatal(err)
		}
		es = append(es, *e)
		prev = e
	}
	got, err := protocol.MarshalPush("C01", es)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(protocol.PushRequest{Counter: "C01", Entries: protocol.EntriesToWire(es)})
	var a, b any
	if err := json.Unmarshal(got, &a); err != nil {
		t.Fatalf("invalid JSON %s: %v", got, err)
	}
	json.Unmarshal(want, &b)
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		t.Fatalf("got\n%s\nwant\n%s", ja, jb)
	}
	var req protocol.PushRequest
	json.Unmarshal(got, &req)
	var p *regie.Entry
	for i := range req.Entries {
		e, err := req.Entries[i].ToRegie()
		if err != nil {
			t.Fatal(err)
		}
		if err := regie.CheckLink(p, &e); err != nil {
			t.Fatalf("entry %d after the round trip: %v", e.Seq, err)
		}
		p = &e
	}
}

// TestEntryTimeFormat: only the journal's own spelling of an instant is
// accepted, since any other would hash differently.
func TestEntryTimeFormat(t *testing.T) {
	for _, at := range []string{"2026-11-27T08:00:00Z", "2026-11-27T08:00:00.12Z", "2026-11-27T09:00:00.000+01:00", "hier"} {
		w := protocol.Entry{Counter: "C01", Seq: 1, ID: "x", Kind: "login", At: at}
		if _, err := w.ToRegie(); err == nil {
			t.Errorf("time %q accepted", at)
		}
	}
	w := protocol.Entry{Counter: "C01", Seq: 1, ID: "x", Kind: "login", At: "2026-11-27T08:00:00.120Z"}
	if e, err := w.ToRegie(); err != nil || string(e.Data) != "null" {
		t.Fatalf("%v %s", err, e.Data)
	}
}

// TestReferenceRoundTrip: the conversions keep every field.
func TestReferenceRoundTrip(t *testing.T) {
	r := regie.Regie{Code: "ENF", Name: "Régie", Address: "x", Modes: []regie.PaymentMode{regie.Cash, regie.CESU},
		CashCeiling: 1, Float: 2, DepositPeriodDays: 3, CashLimit: 4, PartialPayments: true, AnonymousSales: true, Timezone: "Europe/Paris"}
	if got := protocol.SettingsToWire(r).ToRegie(); !jsonEqual(got, r) {
		t.Fatalf("settings %+v", got)
	}
	h := regie.Household{ID: "h", Account: "A", Name: "N", Address: "x", AccessCode: "K",
		Members: []regie.Member{{FirstName: "a", LastName: "b", BirthDate: "2000-01-01", Holder: true}}}
	if got := protocol.HouseholdToWire(h).ToRegie(); !jsonEqual(got, h) {
		t.Fatalf("household %+v", got)
	}
	inv := regie.Invoice{ID: "i", Number: "N", HouseholdID: "h", Label: "L", Amount: 5, Remaining: 3, IssuedOn: "a", DueOn: "b",
		Lines: []regie.InvoiceLine{{Label: "l", Beneficiary: "b", Period: "p", Quantity: 1, UnitPrice: 5, Amount: 5}}}
	if got := protocol.InvoiceToWire(inv).ToRegie(); !jsonEqual(got, inv) {
		t.Fatalf("invoice %+v", got)
	}
	a := regie.Agent{ID: "a", Login: "l", Name: "n", Role: regie.RoleSuppleant, PINHash: "$2a$", Active: true}
	if got := protocol.AgentToWire(a).ToRegie(); got != a {
		t.Fatalf("agent %+v", got)
	}
	it := regie.CatalogueItem{Code: "c", Label: "l", Category: "k", Price: 42, Active: true}
	if got := protocol.ItemToWire(it).ToRegie(); got != it {
		t.Fatalf("item %+v", got)
	}
}

func jsonEqual(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}
