package regie

import (
	"slices"
	"strings"
	"testing"
)

// TestCancelReasonsPerRegie: a cancellation's reason is checked against
// the régie's own list; a reason of the default list stays valid when an
// earlier version of the settings had the default list (journals recorded
// before the régie chose its own), and is refused when no version had it;
// "Autre motif" needs a comment whatever the list.
func TestCancelReasonsPerRegie(t *testing.T) {
	own := []string{"Livre rendu", OtherReason}
	cases := []struct {
		name    string
		earlier []*Regie
		reason  string
		comment string
		want    ErrorCode
	}{
		{"own reason", nil, "Livre rendu", "", ""},
		{"default reason, never in force", nil, CancelReasons[0], "", EReasonRequired},
		{"default reason, in force before", []*Regie{{Code: "ENF"}}, CancelReasons[0], "", ""},
		{"default reason, another régie's default", []*Regie{{Code: "PIS"}}, CancelReasons[0], "", EReasonRequired},
		{"other without comment", nil, OtherReason, " ", ECommentRequired},
		{"other with comment", nil, OtherReason, "ticket perdu", ""},
		{"unknown", []*Regie{{Code: "ENF"}}, "Parce que", "", EReasonRequired},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := newReplay(t)
			b.rules.Settings.CancelReasons = own
			b.rules.Earlier = c.earlier
			if err := b.record(KindSessionOpen, "S", &TillSession{ID: "S", Counter: "C01", Agent: "a", OpenedAt: b.at, Day: "2026-03-02"}); err != nil {
				t.Fatal(err)
			}
			p, err := b.pay("P1", 1, 10_00)
			if err != nil {
				t.Fatal(err)
			}
			err = b.record(KindCancellation, "X", &Cancellation{ID: "X", PaymentID: p.ID, Receipt: p.Receipt, Reason: c.reason,
				Comment: c.comment, Agent: "a", ApprovedBy: "a", At: b.at, Day: "2026-03-02", Refunds: p.Tenders})
			if ErrorCodeOf(err) != c.want {
				t.Fatalf("want %q, got %v", c.want, err)
			}
		})
	}
}

// TestCancelReasonsSettings: a régie without its own list has the default
// one; a list with a blank, repeated or overlong reason, or too many, is
// refused by Validate (which the server's store and the counter both run).
func TestCancelReasonsSettings(t *testing.T) {
	r := Regie{Code: "ENF", Name: "Enfance", Modes: []PaymentMode{Cash}, DepositPeriodDays: 7}
	if !slices.Equal(r.Reasons(), CancelReasons) || r.Validate() != nil {
		t.Fatalf("default list: %v %v", r.Reasons(), r.Validate())
	}
	long := make([]string, MaxCancelReasons+1)
	for i := range long {
		long[i] = string(rune('A'+i%26)) + string(rune('a'+i/26))
	}
	for _, bad := range [][]string{{""}, {" Livre"}, {"Livre", "Livre"}, {strings.Repeat("é", MaxCancelReasonLen+1)}, {"Livre\x00"},
		{"Livre\nrendu"}, {"\xff"}, long} {
		r.CancelReasons = bad
		if ErrorCodeOf(r.Validate()) != EInvalid {
			t.Errorf("%q accepted", bad)
		}
	}
	r.CancelReasons = []string{"Livre rendu"}
	if err := r.Validate(); err != nil || !slices.Equal(r.Reasons(), []string{"Livre rendu"}) {
		t.Fatalf("own list: %v %v", err, r.Reasons())
	}
}
