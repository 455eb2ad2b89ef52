package regie

import (
	"errors"
	"math"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseMoney holds ParseMoney to its promises for any input an agent or
// an import file could send: no panic, only *Error refusals, no negative
// result, and a value that survives a trip through String and FormatPlain.
// The corpus found by the fuzzer lives in testdata/fuzz/FuzzParseMoney and is
// replayed by every plain `go test`.
func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{
		"12,50",
		"12.5",
		"0,5",
		"1 234,50 €",
		"1\u00a0234,50\u00a0€",
		"1\u202f234\u202f567,89€",
		"1234.5 EUR",
		"92 233 720 368 547 758,07",
		"92 233 720 368 547 758,08",
		"-92233720368547758,08",
		"-12",
		"12,5O",
		"1,2,3",
		"1,234",
		"--1",
		"+-1",
		"1e3",
		"12 50",
		"€",
		"",
		"\xff12",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMoney(s)
		checkRefusal(t, "ParseMoney", s, err)
		if err == nil {
			if m < 0 {
				t.Fatalf("ParseMoney(%q) = %d, a negative amount", s, m)
			}
			checkRoundTrip(t, ParseMoney, m)
		}

		sm, serr := ParseSignedMoney(s)
		checkRefusal(t, "ParseSignedMoney", s, serr)
		if serr == nil {
			checkRoundTrip(t, ParseSignedMoney, sm)
		}
		if err == nil && (serr != nil || sm != m) {
			t.Fatalf("ParseSignedMoney(%q) = %d, %v; ParseMoney gave %d", s, sm, serr, m)
		}
	})
}

// checkRefusal requires every error to be an *Error the UI can show as is.
func checkRefusal(t *testing.T, name, s string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var e *Error
	if !errors.As(err, &e) || e.Code != EInvalidAmount {
		t.Fatalf("%s(%q) error = %#v, want *Error with code %q", name, s, err, EInvalidAmount)
	}
	if e.Message == "" || !utf8.ValidString(e.Message) || utf8.RuneCountInString(e.Message) > 120 {
		t.Fatalf("%s(%q) message %q is not fit to show an agent", name, s, e.Message)
	}
}

// checkRoundTrip requires the formatted forms to parse back to m and the
// words to be there, since receipts print all three.
func checkRoundTrip(t *testing.T, parse func(string) (Money, error), m Money) {
	t.Helper()
	for _, s := range []string{m.String(), m.FormatPlain()} {
		if got, err := parse(s); err != nil || got != m {
			t.Fatalf("parse(%q) = %d, %v; want %d", s, got, err, m)
		}
	}
	if w := m.Words(); w == "" || strings.Contains(w, "  ") {
		t.Fatalf("Money(%d).Words() = %q", m, w)
	}
}

// FuzzMoneyRoundTrip goes the other way: any int64 of cents must format,
// parse back unchanged and spell out, because a stored amount is only ever
// shown, never refused.
func FuzzMoneyRoundTrip(f *testing.F) {
	for _, c := range []int64{0, 1, -1, 80, 1_000_000_00, 1_234_567_89, math.MaxInt64, math.MinInt64} {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, c int64) {
		m := Money(c)
		checkRoundTrip(t, ParseSignedMoney, m)
		if m >= 0 {
			checkRoundTrip(t, ParseMoney, m)
		} else if !strings.HasPrefix(m.Words(), "moins ") {
			t.Fatalf("Money(%d).Words() = %q, want « moins … »", m, m.Words())
		}
	})
}
