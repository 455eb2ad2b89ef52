package regie

import "testing"

// TestChannelModes: each kind of counter takes its own modes, and the
// journal rules apply them whoever checks the entry (a desk recording, the
// server receiving a push, verify replaying): an online payment in a desk's
// journal is refused even when the régie's settings list the mode.
func TestChannelModes(t *testing.T) {
	r := &Regie{Code: "ENF", Modes: Modes, AnonymousSales: true, CashLimit: DefaultCashLimit}
	pay := func(m PaymentMode) *Payment {
		tn := Tender{Mode: m, Amount: 10_00, Reference: "REF-1"}
		switch m {
		case Check:
			tn.CheckNumber, tn.Bank, tn.Drawer = "1", "Banque", "Tireur"
		case Card:
			tn.Authorisation = "123456"
		case HolidayCheck, CESU:
			tn.Count = 1
		}
		return &Payment{Tenders: []Tender{tn}, Allocations: []Allocation{{ItemCode: "X", Amount: 10_00}}}
	}
	takes := map[Channel][]PaymentMode{
		ChannelDesk:       {Cash, Check, Card, Transfer, DirectDebit, HolidayCheck, CESU},
		"":                {Cash, Check, Card, Transfer, DirectDebit, HolidayCheck, CESU},
		ChannelBackOffice: {Transfer, DirectDebit},
		ChannelOnline:     {Online},
	}
	for ch, modes := range takes {
		ok := map[PaymentMode]bool{}
		for _, m := range modes {
			ok[m] = true
		}
		for _, m := range append(Modes, "bitcoin") {
			if got := ch.Takes(m); got != ok[m] {
				t.Errorf("%q takes %s: %v, want %v", ch, m, got, ok[m])
			}
			rules := &JournalRules{Settings: r, Channel: ch}
			err := rules.validate(pay(m))
			if (err == nil) != ok[m] {
				t.Errorf("rules of %q on a %s payment: %v", ch, m, err)
			} else if err != nil && ErrorCodeOf(err) != EModeNotAllowed {
				t.Errorf("rules of %q on a %s payment: code %s", ch, m, ErrorCodeOf(err))
			}
		}
	}
	// The régie's acte constitutif still decides: a server counter takes
	// no mode the régie does not accept.
	narrow := &Regie{Code: "ENF", Modes: []PaymentMode{Cash, Transfer}, AnonymousSales: true}
	if err := pay(Online).ValidateIn(narrow, ChannelOnline); ErrorCodeOf(err) != EModeNotAllowed {
		t.Errorf("online payment in a régie without it: %v", err)
	}
	if err := pay(Online).ValidateIn(r, ChannelOnline); err != nil {
		t.Errorf("online payment refused at the online counter: %v", err)
	}
	noRef := pay(Online)
	noRef.Tenders[0].Reference = " "
	if err := noRef.ValidateIn(r, ChannelOnline); ErrorCodeOf(err) != ETransferDetails {
		t.Errorf("online payment without its transaction reference: %v", err)
	}
}
