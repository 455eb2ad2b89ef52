package regie

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// sampleVerification is the procès-verbal of the fixed vector below.
func sampleVerification() *CashVerification {
	v := &CashVerification{ID: "0195a3c0-f1e0-7000-8000-000000000001", Regie: "ENF", Counter: "GESTION",
		Agent: "staff-0001", At: time.Date(2025, 3, 14, 14, 30, 0, 0, time.UTC),
		Verifier: "Jeanne Lefèvre", VerifierTitle: "Comptable public", Regisseur: "Marie Dupont",
		Observations: "Fonds de caisse conforme ; un chèque « en attente »\nde remise.",
		Lines: []VerificationLine{{Counter: "C01", AsOfSeq: 42, ExpectedCash: 23550, ExpectedChecks: 4550, ExpectedCount: 1,
			Count: CashCount{{Value: 2000, Count: 10}, {Value: 500, Count: 7}}, CountedChecks: 4550, CountedCount: 1}}}
	v.Compute()
	return v
}

// TestVerificationVector pins the canonical bytes and hash of a
// cash_verification entry, as docs/journal.md pins the other kinds': a
// change of the type's JSON is a change of the journal's format.
func TestVerificationVector(t *testing.T) {
	v := sampleVerification()
	prev := &Entry{Seq: 6, Hash: "175c8218cca0ca48eeac594d1b2dc8213d5576a9f5c8b42a361701fcf402f325"}
	e, err := NewEntry(prev, "GESTION", KindVerification, v.ID, v.Agent, v.At, v)
	if err != nil {
		t.Fatal(err)
	}
	body, err := e.CanonicalBytes()
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"agent":"staff-0001","at":"2025-03-14T14:30:00.000Z","counter":"GESTION","data":{"agent":"staff-0001","at":"2025-03-14T14:30:00Z","counter":"GESTION","id":"0195a3c0-f1e0-7000-8000-000000000001","lines":[{"as_of_seq":42,"cash_difference":-50,"check_difference":0,"count":[{"count":10,"value":2000},{"count":7,"value":500}],"counted_cash":23500,"counted_check_count":1,"counted_checks":4550,"counter":"C01","expected_cash":23550,"expected_check_count":1,"expected_checks":4550}],"observations":"Fonds de caisse conforme ; un chèque « en attente »\nde remise.","regie":"ENF","regisseur":"Marie Dupont","verifier":"Jeanne Lefèvre","verifier_title":"Comptable public"},"id":"0195a3c0-f1e0-7000-8000-000000000001","kind":"cash_verification","seq":7}`
	if string(body) != want {
		t.Fatalf("canonical bytes:\n got %s\nwant %s", body, want)
	}
	const hash = "545ec8a85c9bd7743bc7800933bdbef16cf393481d7d746c1ea9d2e7ab949298"
	if e.Hash != hash {
		t.Fatalf("hash %s, want %s", e.Hash, hash)
	}
	obj, err := DecodeEntry(e)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckEntry(e, obj, time.UTC); err != nil {
		t.Fatal(err)
	}
}

// TestVerificationOnlyOnServerCounters: the same entry is refused by the
// rules of a desk counter and accepted by those of a server counter.
func TestVerificationOnlyOnServerCounters(t *testing.T) {
	v := sampleVerification()
	e, err := NewEntry(nil, "GESTION", KindVerification, v.ID, v.Agent, v.At, v)
	if err != nil {
		t.Fatal(err)
	}
	settings := &Regie{Code: "ENF", Name: "Régie", Modes: []PaymentMode{Cash}, DepositPeriodDays: 7}
	rules := &JournalRules{Settings: settings, Counter: "GESTION", Loc: time.UTC, History: NewJournalState(nil)}
	var re *Error
	if _, err := rules.Check(e, v.At); !errors.As(err, &re) || re.Code != EForbidden {
		t.Fatalf("desk counter: %v, want %s", err, EForbidden)
	}
	rules.Channel = ChannelBackOffice
	if _, err := rules.Check(e, v.At); err != nil {
		t.Fatalf("server counter: %v", err)
	}
	rules.Settings = &Regie{Code: "SPO", Name: "Sport", Modes: []PaymentMode{Cash}, DepositPeriodDays: 7}
	if _, err := rules.Check(e, v.At); !errors.As(err, &re) || re.Code != EEntryIncoherent {
		t.Fatalf("another régie's counter: %v", err)
	}
}

func TestVerificationValidate(t *testing.T) {
	cases := []struct {
		name   string
		change func(v *CashVerification)
		says   string
	}{
		{"no verifier", func(v *CashVerification) { v.Verifier = " " }, "vérificateur"},
		{"no régisseur", func(v *CashVerification) { v.Regisseur = "" }, "régisseur"},
		{"no title", func(v *CashVerification) { v.VerifierTitle = "" }, "qualité"},
		{"no line", func(v *CashVerification) { v.Lines = nil }, "au moins un poste"},
		{"counter twice", func(v *CashVerification) { v.Lines = append(v.Lines, v.Lines[0]) }, "deux fois"},
		{"negative cheques", func(v *CashVerification) { v.Lines[0].CountedChecks = -1; v.Compute() }, "négatif"},
		{"negative cash", func(v *CashVerification) { v.Lines[0].Count = nil; v.Lines[0].CountedCash = -5; v.Compute() }, "négatif"},
		{"difference forged", func(v *CashVerification) { v.Lines[0].CashDifference = 0 }, "écart"},
		{"count forged", func(v *CashVerification) { v.Lines[0].CountedCash++; v.Lines[0].CashDifference++ }, "billetage"},
		{"unknown coin", func(v *CashVerification) { v.Lines[0].Count = CashCount{{Value: 3, Count: 1}} }, "Coupure"},
		{"huge", func(v *CashVerification) { v.Lines[0].ExpectedCash = MaxAmount + 1; v.Compute() }, "hors limites"},
	}
	if err := sampleVerification().Validate(); err != nil {
		t.Fatalf("sample: %v", err)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := sampleVerification()
			c.change(v)
			err := v.Validate()
			if err == nil || !strings.Contains(err.Error(), c.says) {
				t.Fatalf("got %v, want an error saying %q", err, c.says)
			}
		})
	}
}

// TestHolding replays a till: a closing sets what is held, the next day's
// float replaces it, payments add, a cancellation and a deposit take away.
func TestHolding(t *testing.T) {
	var h Holding
	apply := func(seq int64, obj any) { h.Apply(&Entry{Seq: seq}, obj) }
	apply(1, &Closing{CountedCash: 999_00, Checks: []CheckLine{{PaymentID: "old", Amount: 10_00}}})
	if h.Cash != 999_00 || len(h.Checks) != 1 {
		t.Fatalf("after closing: %+v", h)
	}
	apply(2, &TillSession{Float: 150_00})
	apply(3, &Payment{ID: "p1", Tenders: []Tender{{Mode: Cash, Amount: 20_00}, {Mode: Check, Amount: 30_00, CheckNumber: "1"}}})
	apply(4, &Payment{ID: "p2", Tenders: []Tender{{Mode: Check, Amount: 40_00}, {Mode: Card, Amount: 5_00}}})
	apply(5, &Cancellation{PaymentID: "p1", Refunds: []Tender{{Mode: Cash, Amount: 20_00}, {Mode: Check, Amount: 30_00}}})
	apply(6, &Deposit{Cash: 100_00, Checks: []CheckLine{{PaymentID: "old", Tender: 0}}})
	if h.Cash != 50_00 || h.Seq != 6 {
		t.Fatalf("cash %s seq %d, want 50,00 € at 6", h.Cash, h.Seq)
	}
	if len(h.Checks) != 1 || h.Checks[0].PaymentID != "p2" || ChecksTotal(h.Checks) != 40_00 {
		t.Fatalf("checks %+v, want p2's only", h.Checks)
	}
}
