package regie

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestParseMoneyAccepts(t *testing.T) {
	const nbsp, nnbsp = "\u00a0", "\u202f"
	tests := []struct {
		in   string
		want Money
	}{
		{"12,50", 1250},
		{"12.50", 1250},
		{"12,5", 1250},
		{"12.5", 1250},
		{"0,5", 50},
		{"0,05", 5},
		{"0", 0},
		{"0,00", 0},
		{"12", 1200},
		{"007", 700},
		{"1 234,50 €", 123450},
		{"1 234,50€", 123450},
		{"1234.5 EUR", 123450},
		{"1234.5EUR", 123450},
		{"12 eur", 1200},
		{"1" + nbsp + "234,50" + nbsp + "€", 123450},
		{"1" + nnbsp + "234" + nnbsp + "567,89" + nnbsp + "€", 123456789},
		{"1 234" + nbsp + "567", 123456700},
		{"  12,50  ", 1250},
		{"\t12,50 €\n", 1250},
		{"999 999,99", 99999999},
		{"92 233 720 368 547 758,07", math.MaxInt64},
		{"92233720368547758.07 €", math.MaxInt64},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseMoney(tt.in)
			if err != nil {
				t.Fatalf("ParseMoney(%q) error: %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseMoney(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseMoneyRefuses(t *testing.T) {
	tests := []struct {
		in      string
		message string // a part of the French message the agent sees
	}{
		{"", "Saisissez un montant"},
		{"   ", "Saisissez un montant"},
		{"12,5O", "Montant invalide : « 12,5O ». Saisissez par exemple 12,50."},
		{"abc", "« abc »"},
		{"1,2,3", "Montant invalide"},
		{"1.2.3", "Montant invalide"},
		{"1.234,50", "Montant invalide"},
		{"--1", "Montant invalide"},
		{"+-1", "Montant invalide"},
		{"+1", "Montant invalide"},
		{"1e3", "Montant invalide"},
		{"€", "Montant invalide"},
		{"EUR", "Montant invalide"},
		{"€12", "Montant invalide"},
		{"12 € €", "Montant invalide"},
		{",50", "Montant invalide"},
		{"12,", "Montant invalide"},
		{"12 50", "Montant invalide"},
		{"1234 567", "Montant invalide"},
		{"1 23", "Montant invalide"},
		{"1  234", "Montant invalide"},
		{" 1 234 ,50", "Montant invalide"},
		{"12 ,50", "Montant invalide"},
		{"- 12", "Montant invalide"},
		{"12-", "Montant invalide"},
		{"１２", "Montant invalide"},
		{"1,234", "plus de deux décimales"},
		{"12,500", "plus de deux décimales"},
		{"0.001 €", "plus de deux décimales"},
		{"-12", "Montant négatif refusé."},
		{"-0", "Montant négatif refusé."},
		{"-1 234,50 €", "Montant négatif refusé."},
		{"92 233 720 368 547 758,08", "Montant trop grand."},
		{"99999999999999999999999", "Montant trop grand."},
		{strings.Repeat("9", 200), "Montant trop grand."},
		{strings.Repeat("x", 200), "…"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseMoney(tt.in)
			if err == nil {
				t.Fatalf("ParseMoney(%q) = %d, want an error", tt.in, got)
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != EInvalidAmount {
				t.Fatalf("ParseMoney(%q) error = %#v, want *Error with code %q", tt.in, err, EInvalidAmount)
			}
			if !strings.Contains(e.Message, tt.message) {
				t.Errorf("ParseMoney(%q) message = %q, want it to contain %q", tt.in, e.Message, tt.message)
			}
		})
	}
}

func TestParseSignedMoney(t *testing.T) {
	tests := []struct {
		in      string
		want    Money
		wantErr bool
	}{
		{"-12", -1200, false},
		{"-12,5 €", -1250, false},
		{"-0", 0, false},
		{"12,50", 1250, false},
		{"-92 233 720 368 547 758,08", math.MinInt64, false},
		{"-92 233 720 368 547 758,09", 0, true},
		{"--12", 0, true},
		{"-", 0, true},
		{"-,5", 0, true},
		{"-1,234", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseSignedMoney(tt.in)
			var e *Error
			switch {
			case tt.wantErr && (!errors.As(err, &e) || e.Code != EInvalidAmount):
				t.Errorf("ParseSignedMoney(%q) = %d, %v; want *Error %q", tt.in, got, err, EInvalidAmount)
			case !tt.wantErr && (err != nil || got != tt.want):
				t.Errorf("ParseSignedMoney(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestMoneyFormat(t *testing.T) {
	tests := []struct {
		m     Money
		str   string
		plain string
		cents int64
	}{
		{0, "0,00 €", "0,00", 0},
		{5, "0,05 €", "0,05", 5},
		{50, "0,50 €", "0,50", 50},
		{1250, "12,50 €", "12,50", 1250},
		{-1200, "-12,00 €", "-12,00", -1200},
		{99999, "999,99 €", "999,99", 99999},
		{100000, "1 000,00 €", "1000,00", 100000},
		{123450, "1 234,50 €", "1234,50", 123450},
		{-123456789, "-1 234 567,89 €", "-1234567,89", -123456789},
		{math.MaxInt64, "92 233 720 368 547 758,07 €", "92233720368547758,07", math.MaxInt64},
		{math.MinInt64, "-92 233 720 368 547 758,08 €", "-92233720368547758,08", math.MinInt64},
	}
	for _, tt := range tests {
		t.Run(tt.plain, func(t *testing.T) {
			// The table is written with plain spaces; the real output uses MoneySpace.
			want := strings.ReplaceAll(tt.str, " ", MoneySpace)
			if got := tt.m.String(); got != want {
				t.Errorf("Money(%d).String() = %q, want %q", tt.m, got, want)
			}
			if got := tt.m.FormatPlain(); got != tt.plain {
				t.Errorf("Money(%d).FormatPlain() = %q, want %q", tt.m, got, tt.plain)
			}
			if got := tt.m.Cents(); got != tt.cents {
				t.Errorf("Money(%d).Cents() = %d", tt.m, got)
			}
		})
	}
}

func TestMoneyRoundTrip(t *testing.T) {
	values := []Money{0, 1, 9, 10, 99, 100, 101, 999, 1000, 99999, 100000, 123456,
		1_000_000_00, 1_234_567_89, math.MaxInt64 - 1, math.MaxInt64}
	for m := Money(1); m > 0 && m < math.MaxInt64/7; m = m*7 + 3 {
		values = append(values, m)
	}
	for _, m := range values {
		t.Run(m.FormatPlain(), func(t *testing.T) {
			for _, s := range []string{m.String(), m.FormatPlain()} {
				if got, err := ParseMoney(s); err != nil || got != m {
					t.Errorf("ParseMoney(%q) = %d, %v; want %d", s, got, err, m)
				}
				if got, err := ParseSignedMoney("-" + s); err != nil || got != -m {
					t.Errorf("ParseSignedMoney(%q) = %d, %v; want %d", "-"+s, got, err, -m)
				}
			}
		})
	}
}
