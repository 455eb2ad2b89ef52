package regie

import (
	"testing"
	"time"
)

// replayBook is a small counter journal written the counter's way, checked
// entry by entry with JournalRules over a JournalState, as verify does.
type replayBook struct {
	t     *testing.T
	prev  *Entry
	at    time.Time
	state *JournalState
	rules *JournalRules
}

func newReplay(t *testing.T) *replayBook {
	s := NewJournalState(nil)
	return &replayBook{t: t, at: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC), state: s,
		rules: &JournalRules{Settings: &Regie{Code: "ENF", Name: "Enfance", Modes: []PaymentMode{Cash, Check}, DepositPeriodDays: 7},
			Counter: "C01", Loc: time.UTC, History: s}}
}

// record chains obj and checks it; it returns the rule's error, and keeps
// the entry only when it passes.
func (b *replayBook) record(kind EntryKind, id string, obj any) error {
	e, err := NewEntry(b.prev, "C01", kind, id, "a", b.at, obj)
	if err != nil {
		b.t.Fatal(err)
	}
	decoded, err := b.rules.Check(e, b.at.Add(time.Hour))
	if err == nil {
		b.state.Apply(e, decoded)
		b.prev = e
	}
	b.at = b.at.Add(time.Minute)
	return err
}

func (b *replayBook) pay(id string, n int, amount Money) (*Payment, error) {
	p := &Payment{ID: id, Receipt: ReceiptNumber("ENF", "C01", 2026, n), Regie: "ENF", Counter: "C01", SessionID: "S", Agent: "a",
		At: b.at, Day: "2026-03-02", HouseholdID: "H", Tenders: []Tender{{Mode: Cash, Amount: amount, Tendered: amount}},
		Allocations: []Allocation{{ItemCode: "X", Label: "x", Amount: amount}}, Total: amount}
	return p, b.record(KindPayment, id, p)
}

// TestJournalRulesReplay: a day recorded as a counter records it passes
// every rule, and what breaks one is named by its code.
func TestJournalRulesReplay(t *testing.T) {
	b := newReplay(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	refused := func(err error, code ErrorCode) {
		t.Helper()
		if ErrorCodeOf(err) != code {
			t.Fatalf("want %s, got %v", code, err)
		}
	}
	_, err := b.pay("P0", 1, 5_00)
	refused(err, ENoSession)
	must(b.record(KindSessionOpen, "S", &TillSession{ID: "S", Counter: "C01", Agent: "a", OpenedAt: b.at, Day: "2026-03-02", Float: 50_00}))
	p1, err := b.pay("P1", 1, 10_00)
	must(err)
	_, err = b.pay("P2", 3, 10_00)
	refused(err, EReceiptNumber)
	p2, err := b.pay("P2", 2, 7_00)
	must(err)
	c := &Cancellation{ID: "X", PaymentID: p1.ID, Receipt: p1.Receipt, Reason: CancelReasons[0], Agent: "a", ApprovedBy: "a",
		At: b.at, Day: "2026-03-02", Refunds: p1.Tenders}
	must(b.record(KindCancellation, "X", c))
	c2 := *c
	c2.ID, c2.At = "X2", b.at
	refused(b.record(KindCancellation, "X2", &c2), EAlreadyCancelled)

	f, err := b.state.DayFigures("2026-03-02")
	must(err)
	if f.Payments != 2 || f.Cancellations != 1 || f.Received[Cash] != 17_00 || f.Refunded[Cash] != 10_00 {
		t.Fatalf("day figures %+v", f)
	}
	z := &Closing{ID: "Z", Counter: "C01", Day: "2026-03-02", Agent: "a", At: b.at, Sessions: []string{"S"}, Float: 50_00,
		Count: CashCount{{Value: 1_00, Count: 57}}, Payments: 2, Cancellations: 1, FirstReceipt: p1.Receipt, LastReceipt: p2.Receipt}
	z.Compute(f, nil)
	wrong := *z
	wrong.GrandTotals = ModeTotals{Cash: 1}
	refused(b.record(KindClosing, "Z", &wrong), EClosingUnbalanced)
	wrong = *z
	wrong.LastReceipt, wrong.At = p1.Receipt, b.at
	refused(b.record(KindClosing, "Z", &wrong), EClosingUnbalanced)
	z.At = b.at
	must(b.record(KindClosing, "Z", z))
	_, err = b.pay("P3", 3, 1_00)
	refused(err, EDayClosed)
	x := &Reprint{ID: "R", PaymentID: p2.ID, Receipt: p2.Receipt, Agent: "a", At: b.at}
	must(b.record(KindReprint, "R", x))
}

// TestStateOverABase: a state over a base answers from what it applied
// first, then from the base, and keeps the base's answers.
func TestStateOverABase(t *testing.T) {
	base := NewJournalState(nil)
	base.Apply(&Entry{}, &TillSession{ID: "S", Day: "2026-03-02"})
	base.Apply(&Entry{}, &Payment{ID: "P", Receipt: ReceiptNumber("ENF", "C01", 2026, 4), Day: "2026-03-02",
		Tenders: []Tender{{Mode: Cash, Amount: 3_00}}})
	s := NewJournalState(base)
	if n, _ := s.LastReceipt(2026); n != 4 {
		t.Fatalf("last receipt %d", n)
	}
	s.Apply(&Entry{}, &Payment{ID: "Q", Receipt: ReceiptNumber("ENF", "C01", 2026, 5), Day: "2026-03-02",
		Tenders: []Tender{{Mode: Check, Amount: 2_00}}})
	if n, _ := s.LastReceipt(2026); n != 5 {
		t.Fatalf("last receipt after apply %d", n)
	}
	f, _ := s.DayFigures("2026-03-02")
	if f.Payments != 2 || f.Received[Cash] != 3_00 || f.Received[Check] != 2_00 || f.FirstReceipt != ReceiptNumber("ENF", "C01", 2026, 4) {
		t.Fatalf("figures %+v", f)
	}
	if sealed, _ := s.Sealed("2026-03-02"); sealed {
		t.Fatal("sealed before any closing")
	}
	s.Apply(&Entry{}, &Closing{ID: "Z", Day: "2026-03-02"})
	if sealed, _ := s.Sealed("2026-03-02"); !sealed {
		t.Fatal("the closing applied does not override the base's answer")
	}
}

// TestExactKeys: a key spelled in another case, or escaped, is refused;
// the modes of a closing's totals are keys too.
func TestExactKeys(t *testing.T) {
	for data, bad := range map[string]bool{
		`{"id":"x","tenders":[]}`:                      false,
		`{"id":"x","Tenders":[]}`:                      true,
		`{"id":"x","re\u0063eipt":"R"}`:                true,
		`{"totals":{"cash":1,"check":2},"label":"a:"}`: false,
		`{"totals":{"Cash":1}}`:                        true,
		`{"label":"\"Tenders\":"}`:                     false,
	} {
		if _, got := inexactKey([]byte(data)); got != bad {
			t.Errorf("%s: inexact %v, want %v", data, got, bad)
		}
	}
}

// TestSessionsInOrder: a till opens on a day after the last one it opened,
// once that day is closed — as the counter's OpenSession allows — so that
// no day left unclosed or already past can be filled in afterwards.
func TestSessionsInOrder(t *testing.T) {
	b := newReplay(t)
	session := func(id, day string) error {
		d, _ := time.Parse(time.DateOnly, day)
		b.at = d.Add(9 * time.Hour)
		return b.record(KindSessionOpen, id, &TillSession{ID: id, Counter: "C01", Agent: "a", OpenedAt: b.at, Day: day, Float: 0})
	}
	if err := session("S1", "2026-03-02"); err != nil {
		t.Fatal(err)
	}
	if err := session("S2", "2026-03-03"); ErrorCodeOf(err) != ESessionOpen {
		t.Fatalf("opened while the day before is not closed: %v", err)
	}
	f, _ := b.state.DayFigures("2026-03-02")
	z := &Closing{ID: "Z", Counter: "C01", Day: "2026-03-02", Agent: "a", At: b.at, Sessions: []string{"S1"}}
	z.Compute(f, nil)
	if err := b.record(KindClosing, "Z", z); err != nil {
		t.Fatal(err)
	}
	if err := session("S0", "2026-03-01"); ErrorCodeOf(err) != EDayClosed {
		t.Fatalf("opened on a day before the last one opened: %v", err)
	}
	if err := session("S2", "2026-03-03"); err != nil {
		t.Fatal(err)
	}
	if err := session("S3", "2026-03-03"); ErrorCodeOf(err) != EDayClosed {
		t.Fatalf("opened twice the same day: %v", err)
	}
}

// TestClosingListsHeldCheques: the cheques a closing lists (the Z report
// prints them) are cheques the counter holds, as listed by the counter.
func TestClosingListsHeldCheques(t *testing.T) {
	b := newReplay(t)
	if err := b.record(KindSessionOpen, "S", &TillSession{ID: "S", Counter: "C01", Agent: "a", OpenedAt: b.at, Day: "2026-03-02"}); err != nil {
		t.Fatal(err)
	}
	p := &Payment{ID: "P1", Receipt: ReceiptNumber("ENF", "C01", 2026, 1), Regie: "ENF", Counter: "C01", SessionID: "S", Agent: "a",
		At: b.at, Day: "2026-03-02", HouseholdID: "H", Total: 12_00,
		Tenders:     []Tender{{Mode: Check, Amount: 12_00, CheckNumber: "0000007", Bank: "Banque", Drawer: "Tireur"}},
		Allocations: []Allocation{{ItemCode: "X", Label: "x", Amount: 12_00}}}
	if err := b.record(KindPayment, p.ID, p); err != nil {
		t.Fatal(err)
	}
	held := CheckLine{PaymentID: p.ID, Tender: 0, Receipt: p.Receipt, Number: "0000007", Bank: "Banque", Drawer: "Tireur", Amount: 12_00}
	closing := func(checks ...CheckLine) *Closing {
		f, _ := b.state.DayFigures("2026-03-02")
		z := &Closing{ID: "Z", Counter: "C01", Day: "2026-03-02", Agent: "a", At: b.at, Sessions: []string{"S"}, Checks: checks,
			Payments: f.Payments, FirstReceipt: f.FirstReceipt, LastReceipt: f.LastReceipt}
		z.Compute(f, nil)
		return z
	}
	wrong := held
	wrong.Amount = 120_00
	for _, checks := range [][]CheckLine{{wrong}, {held, held}, {{PaymentID: "P9", Receipt: p.Receipt, Amount: 12_00}}} {
		if err := b.record(KindClosing, "Z", closing(checks...)); ErrorCodeOf(err) != ECheckNotHeld {
			t.Fatalf("closing listing %+v: %v", checks, err)
		}
	}
	if err := b.record(KindClosing, "Z", closing(held)); err != nil {
		t.Fatal(err)
	}
}
