package concert

import (
	"strings"
	"testing"
)

func baseRequest() Request {
	return Request{Till: 1, Amount: 1250, FullAnswer: true, Mode: ModeCard, Type: Debit, Currency: CurrencyEUR}
}

func TestRequestVersions(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Request)
		want string
	}{
		{"E+ defaults", func(*Request) {}, "0100001250110978          A010B010"},
		{"E", func(r *Request) { r.Version = VersionE }, "0100001250110978          "},
		{"E ignores E+ fields", func(r *Request) { r.Version, r.Delay, r.Auth = VersionE, "bad", "bad" }, "0100001250110978          "},
		{"refund, short answer, till 42", func(r *Request) { r.Type, r.FullAnswer, r.Till = Refund, false, 42 }, "4200001250012978          A010B010"},
		{"at once, forced", func(r *Request) { r.Delay, r.Auth = DelayAtOnce, AuthForced }, "0100001250110978          A011B011"},
		{"cheque, private", func(r *Request) { r.Mode, r.Private = ModeCheque, "REF 42" }, "01000012501C0978REF 42    A010B010"},
		{"bounds high", func(r *Request) { r.Till, r.Amount, r.Private = 99, MaxAmount, "0123456789" }, "99999999991109780123456789A010B010"},
		{"bounds low", func(r *Request) { r.Amount, r.Type, r.Mode = 0, PreAuth, ModeOther }, "0100000000104978          A010B010"},
		{"credit", func(r *Request) { r.Type = Credit }, "0100001250111978          A010B010"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := baseRequest()
			tc.edit(&r)
			msg, err := r.Encode()
			if err != nil {
				t.Fatal(err)
			}
			if string(msg) != tc.want {
				t.Fatalf("encoded %q, want %q", msg, tc.want)
			}
			back, err := DecodeRequest(msg)
			if err != nil {
				t.Fatal(err)
			}
			again, err := back.Encode()
			if err != nil || string(again) != tc.want {
				t.Fatalf("decode then encode: %q %v", again, err)
			}
			if wantLen := map[Version]int{VersionE: RequestLenE, VersionEPlus: RequestLenEPlus}[r.Version]; len(msg) != wantLen {
				t.Fatalf("%s request of %d characters", r.Version, len(msg))
			}
		})
	}
}

func TestRequestEncodeBounds(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Request)
	}{
		{"till 0", func(r *Request) { r.Till = 0 }},
		{"till 100", func(r *Request) { r.Till = 100 }},
		{"negative amount", func(r *Request) { r.Amount = -1 }},
		{"amount over 8 digits", func(r *Request) { r.Amount = MaxAmount + 1 }},
		{"unknown mode", func(r *Request) { r.Mode = 'X' }},
		{"mode zero", func(r *Request) { r.Mode = 0 }},
		{"type 3", func(r *Request) { r.Type = '3' }},
		{"currency of 2", func(r *Request) { r.Currency = "97" }},
		{"currency letters", func(r *Request) { r.Currency = "EUR" }},
		{"private of 11", func(r *Request) { r.Private = "01234567890" }},
		{"private not ASCII", func(r *Request) { r.Private = "é" }},
		{"private control", func(r *Request) { r.Private = "a\x03" }},
		{"delay A012", func(r *Request) { r.Delay = "A012" }},
		{"auth B012", func(r *Request) { r.Auth = "B012" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := baseRequest()
			tc.edit(&r)
			if msg, err := r.Encode(); err == nil {
				t.Fatalf("encoded %q, want an error", msg)
			}
		})
	}
}

func TestDecodeRequestBounds(t *testing.T) {
	const good = "0100001250110978          A010B010"
	at := func(i int, s string) string { return good[:i] + s + good[i+len(s):] }
	for _, tc := range []struct{ name, msg string }{
		{"empty", ""},
		{"25 characters", good[:25]},
		{"27 characters", good[:27]},
		{"33 characters", good[:33]},
		{"35 characters", good + " "},
		{"till 00", at(0, "00")},
		{"till letters", at(0, "0A")},
		{"amount with a space", at(2, "0000125 ")},
		{"amount with a sign", at(2, "-0001250")},
		{"answer flag 2", at(10, "2")},
		{"mode X", at(11, "X")},
		{"type 3", at(12, "3")},
		{"currency EUR", at(13, "EUR")},
		{"private with a control byte", at(16, "\x01")},
		{"delay A012", at(26, "A012")},
		{"auth C010", at(30, "C010")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if r, err := DecodeRequest([]byte(tc.msg)); err == nil {
				t.Fatalf("decoded %+v, want an error", r)
			}
		})
	}
	r, err := DecodeRequest([]byte(at(16, "ABC")))
	if err != nil || r.Private != "ABC" || r.Amount != 1250 || !r.FullAnswer || r.Version != VersionEPlus {
		t.Fatalf("private data: %+v %v", r, err)
	}
	r, err = DecodeRequest([]byte(strings.Replace(good[:26], "0100001250", "9900000001", 1)))
	if err != nil || r.Till != 99 || r.Amount != 1 || r.Version != VersionE {
		t.Fatalf("E request: %+v %v", r, err)
	}
}
