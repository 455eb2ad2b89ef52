package regie

import (
	"math"
	"strings"
	"testing"
)

func TestMoneyWords(t *testing.T) {
	const euro = 100 // cents in one euro, to keep the table readable
	tests := []struct {
		m    Money
		want string
	}{
		{0, "zéro euro"},
		{1, "un centime"},
		{2, "deux centimes"},
		{80, "quatre-vingts centimes"},
		{99, "quatre-vingt-dix-neuf centimes"},
		{1 * euro, "un euro"},
		{1*euro + 1, "un euro et un centime"},
		{2 * euro, "deux euros"},
		{16 * euro, "seize euros"},
		{17 * euro, "dix-sept euros"},
		{20 * euro, "vingt euros"},
		{21 * euro, "vingt et un euros"},
		{22 * euro, "vingt-deux euros"},
		{31 * euro, "trente et un euros"},
		{61 * euro, "soixante et un euros"},
		{69 * euro, "soixante-neuf euros"},
		{70 * euro, "soixante-dix euros"},
		{71 * euro, "soixante et onze euros"},
		{72 * euro, "soixante-douze euros"},
		{77 * euro, "soixante-dix-sept euros"},
		{80 * euro, "quatre-vingts euros"},
		{81 * euro, "quatre-vingt-un euros"},
		{90 * euro, "quatre-vingt-dix euros"},
		{91 * euro, "quatre-vingt-onze euros"},
		{99 * euro, "quatre-vingt-dix-neuf euros"},
		{100 * euro, "cent euros"},
		{101 * euro, "cent un euros"},
		{123*euro + 50, "cent vingt-trois euros et cinquante centimes"},
		{180 * euro, "cent quatre-vingts euros"},
		{200 * euro, "deux cents euros"},
		{201 * euro, "deux cent un euros"},
		{280 * euro, "deux cent quatre-vingts euros"},
		{999 * euro, "neuf cent quatre-vingt-dix-neuf euros"},
		{1000 * euro, "mille euros"},
		{1001 * euro, "mille un euros"},
		{1100 * euro, "mille cent euros"},
		{2000 * euro, "deux mille euros"},
		{21000 * euro, "vingt et un mille euros"},
		{80000 * euro, "quatre-vingt mille euros"},
		{80080 * euro, "quatre-vingt mille quatre-vingts euros"},
		{200000 * euro, "deux cent mille euros"},
		{300200 * euro, "trois cent mille deux cents euros"},
		{1_000_000 * euro, "un million d'euros"},
		{1_000_001 * euro, "un million un euros"},
		{1_001_000 * euro, "un million mille euros"},
		{2_000_000 * euro, "deux millions d'euros"},
		{2_500_000 * euro, "deux millions cinq cent mille euros"},
		{80_000_000 * euro, "quatre-vingts millions d'euros"},
		{200_000_000 * euro, "deux cents millions d'euros"},
		{1_000_000*euro + 50, "un million d'euros et cinquante centimes"},
		{1_234_567*euro + 89, "un million deux cent trente-quatre mille cinq cent soixante-sept euros et quatre-vingt-neuf centimes"},
		{1_000_000_000 * euro, "un milliard d'euros"},
		{1_001_000_000 * euro, "un milliard un million d'euros"},
		{3_000_000_000_000 * euro, "trois billions d'euros"},
		{1_000_000_000_000_000 * euro, "un billiard d'euros"},
		{-1200, "moins douze euros"},
		{-1, "moins un centime"},
		{math.MaxInt64, "quatre-vingt-douze billiards deux cent trente-trois billions sept cent vingt milliards " +
			"trois cent soixante-huit millions cinq cent quarante-sept mille sept cent cinquante-huit euros " +
			"et sept centimes"},
		{math.MinInt64, "moins quatre-vingt-douze billiards deux cent trente-trois billions sept cent vingt milliards " +
			"trois cent soixante-huit millions cinq cent quarante-sept mille sept cent cinquante-huit euros " +
			"et huit centimes"},
	}
	for _, tt := range tests {
		t.Run(tt.m.FormatPlain(), func(t *testing.T) {
			if got := tt.m.Words(); got != tt.want {
				t.Errorf("Money(%d).Words() =\n  %q\nwant\n  %q", tt.m, got, tt.want)
			}
		})
	}
}

// TestNumberWordsEveryBelow1000 checks spelling rules that must hold for
// every number an amount is built from, rather than trusting a few samples.
func TestNumberWordsEveryBelow1000(t *testing.T) {
	for n := uint64(1); n < 1000; n++ {
		w := numberWords(n)
		switch {
		case w == "" || strings.Contains(w, "  ") || strings.HasPrefix(w, " ") || strings.HasSuffix(w, " "):
			t.Errorf("numberWords(%d) = %q: bad spacing", n, w)
		case strings.Contains(w, "zéro"):
			t.Errorf("numberWords(%d) = %q: zéro inside a number", n, w)
		case strings.HasPrefix(w, "un cent"):
			t.Errorf("numberWords(%d) = %q: French says cent, not un cent", n, w)
		case n%10 == 1 && n/10%10 >= 2 && n/10%10 <= 6 && !strings.HasSuffix(w, " et un"):
			t.Errorf("numberWords(%d) = %q: want « et un »", n, w)
		case strings.HasSuffix(w, "cents") != (n >= 200 && n%100 == 0):
			t.Errorf("numberWords(%d) = %q: plural of cent", n, w)
		case strings.HasSuffix(w, "vingts") != (n%100 == 80):
			t.Errorf("numberWords(%d) = %q: plural of vingt", n, w)
		}
		// Before mille, cents and vingts lose their s: "deux cent mille".
		want := w
		if strings.HasSuffix(w, "cents") || strings.HasSuffix(w, "vingts") {
			want = strings.TrimSuffix(w, "s")
		}
		if n > 1 && numberWords(n*1000) != want+" mille" {
			t.Errorf("numberWords(%d) = %q, want %q", n*1000, numberWords(n*1000), want+" mille")
		}
	}
}

func TestMoneyWordsNeverEmpty(t *testing.T) {
	for m := Money(1); m > 0 && m < math.MaxInt64/3; m = m*3 + 1 {
		for _, v := range []Money{m, -m} {
			w := v.Words()
			if w == "" || strings.Contains(w, "  ") || strings.Contains(w, "zéro") {
				t.Errorf("Money(%d).Words() = %q", v, w)
			}
		}
	}
}
