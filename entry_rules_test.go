package regie

import (
	"testing"
	"time"
)

func TestCheckEntry(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	// 23:30 UTC on 1 December is 00:30 on 2 December in Paris.
	at := time.Date(2026, 12, 1, 23, 30, 0, 0, time.UTC)
	pay := func(mod func(*Payment)) *Payment {
		p := &Payment{ID: "p1", Counter: "C01", Agent: "a1", At: at, Day: "2026-12-02", Receipt: "R-ENF-C01-2026-000001",
			Tenders: []Tender{{Mode: Cash, Amount: 100}}, Allocations: []Allocation{{ItemCode: "X", Label: "x", Amount: 100}}, Total: 100}
		if mod != nil {
			mod(p)
		}
		return p
	}
	closing := func(day string) *Closing {
		return &Closing{ID: "p1", Counter: "C01", Agent: "a1", At: at, Day: day}
	}
	for _, c := range []struct {
		name    string
		obj     any
		agent   string
		wantErr bool
	}{
		{"good payment", pay(nil), "a1", false},
		{"other id", pay(func(p *Payment) { p.ID = "p2" }), "a1", true},
		{"other counter", pay(func(p *Payment) { p.Counter = "C02" }), "a1", true},
		{"other agent", pay(nil), "a2", true},
		{"other instant", pay(func(p *Payment) { p.At = at.Add(time.Second) }), "a1", true},
		{"UTC day instead of the régie's", pay(func(p *Payment) { p.Day = "2026-12-01" }), "a1", true},
		{"no day", pay(func(p *Payment) { p.Day = "" }), "a1", true},
		{"day not a date", pay(func(p *Payment) { p.Day = "2026-13-02" }), "a1", true},
		{"closing of the day before, after midnight", closing("2026-12-01"), "a1", false},
		{"closing of a day to come", closing("2026-12-03"), "a1", true},
		{"reprint has no day", &Reprint{ID: "p1", Agent: "a1", At: at}, "a1", false},
		{"settings have no agent", &SettingsChange{ID: "p1", At: at}, "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			kind := map[bool]EntryKind{true: KindPayment, false: KindClosing}[isPayment(c.obj)]
			switch c.obj.(type) {
			case *Reprint:
				kind = KindReprint
			case *SettingsChange:
				kind = KindSettings
			}
			e, err := NewEntry(nil, "C01", kind, "p1", c.agent, at, c.obj)
			if err != nil {
				t.Fatal(err)
			}
			obj, err := DecodeEntry(e)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			err = CheckEntry(e, obj, paris)
			if (err != nil) != c.wantErr {
				t.Fatalf("CheckEntry = %v, want error %v", err, c.wantErr)
			}
			if err != nil && ErrorCodeOf(err) != EEntryIncoherent {
				t.Fatalf("code %s", ErrorCodeOf(err))
			}
		})
	}
}

func isPayment(obj any) bool { _, ok := obj.(*Payment); return ok }

func TestDecodeEntryRefusesUnknownKindsAndFields(t *testing.T) {
	e := &Entry{Kind: "refund", Data: []byte(`{}`)}
	if _, err := DecodeEntry(e); ErrorCodeOf(err) != EUnknownKind {
		t.Fatalf("unknown kind: %v", err)
	}
	e = &Entry{Kind: KindPayment, Data: []byte(`{"id":"p1","bonus":1}`)}
	if _, err := DecodeEntry(e); ErrorCodeOf(err) != EInvalid {
		t.Fatalf("unknown field: %v", err)
	}
	e = &Entry{Kind: KindPayment, Data: []byte(`{"id":"p1"} {"id":"p2"}`)}
	if _, err := DecodeEntry(e); ErrorCodeOf(err) != EInvalid {
		t.Fatalf("trailing data: %v", err)
	}
}
