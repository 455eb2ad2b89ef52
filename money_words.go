package regie

import "strings"

// Amounts in words follow the traditional French spelling (before the 1990
// reform), which is what accounting documents and cheques still use:
// hyphens only between tens and units below one hundred, "et un" for 21 to
// 71, "quatre-vingts" and "deux cents" plural only at the end of the number
// or before a noun (million, milliard…), "mille" invariable.

// wordUnits spells 0 to 16, the numbers French does not compose.
var wordUnits = [...]string{
	"zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit",
	"neuf", "dix", "onze", "douze", "treize", "quatorze", "quinze", "seize",
}

// wordTens spells the round tens up to 60; 70 and 90 build on 60 and 80.
var wordTens = [...]string{
	"", "dix", "vingt", "trente", "quarante", "cinquante", "soixante",
}

// wordScales are the long-scale nouns, largest first. They take a plural
// "s" and keep the "s" of a preceding "vingts" or "cents", unlike "mille".
// Trillion (10^18) makes every uint64 spellable.
var wordScales = [...]struct {
	value uint64
	name  string
}{
	{1_000_000_000_000_000_000, "trillion"},
	{1_000_000_000_000_000, "billiard"},
	{1_000_000_000_000, "billion"},
	{1_000_000_000, "milliard"},
	{1_000_000, "million"},
}

// Words spells the amount in French for receipts and bordereaux, where the
// law and habit want the sum written out so it cannot be altered:
// 123,50 € gives "cent vingt-trois euros et cinquante centimes". A negative
// amount starts with "moins ".
func (m Money) Words() string {
	u := m.magnitude()
	euros, cents := u/100, u%100
	var parts []string
	if m < 0 {
		parts = append(parts, "moins")
	}
	if euros > 0 || cents == 0 {
		unit := "euros"
		switch {
		case euros <= 1:
			unit = "euro"
		case euros%1_000_000 == 0:
			// After a noun such as "million" French says "d'euros".
			unit = "d'euros"
		}
		parts = append(parts, numberWords(euros), unit)
	}
	if cents > 0 {
		if euros > 0 {
			parts = append(parts, "et")
		}
		unit := "centimes"
		if cents == 1 {
			unit = "centime"
		}
		parts = append(parts, numberWords(cents), unit)
	}
	return strings.Join(parts, " ")
}

// numberWords spells any n ≥ 0 as a cardinal number.
func numberWords(n uint64) string {
	if n == 0 {
		return wordUnits[0]
	}
	var parts []string
	for _, s := range wordScales {
		k := n / s.value
		n %= s.value
		if k == 0 {
			continue
		}
		name := s.name
		if k > 1 {
			name += "s"
		}
		parts = append(parts, below1000(int(k), true), name)
	}
	if k := int(n / 1000); k > 0 {
		if k > 1 {
			parts = append(parts, below1000(k, false))
		}
		parts = append(parts, "mille")
	}
	if k := int(n % 1000); k > 0 {
		parts = append(parts, below1000(k, true))
	}
	return strings.Join(parts, " ")
}

// below1000 spells 1 ≤ n ≤ 999. final is false when "mille" follows, which
// takes away the plural of "cents" and "quatre-vingts".
func below1000(n int, final bool) string {
	h, r := n/100, n%100
	var parts []string
	switch {
	case h == 1:
		parts = append(parts, "cent")
	case h > 1:
		c := "cents"
		if r > 0 || !final {
			c = "cent"
		}
		parts = append(parts, wordUnits[h], c)
	}
	if r > 0 {
		parts = append(parts, below100(r, final))
	}
	return strings.Join(parts, " ")
}

// below100 spells 1 ≤ n ≤ 99.
func below100(n int, final bool) string {
	switch {
	case n <= 16:
		return wordUnits[n]
	case n < 20:
		return "dix-" + wordUnits[n-10]
	case n < 70:
		t, u := n/10, n%10
		switch u {
		case 0:
			return wordTens[t]
		case 1:
			return wordTens[t] + " et un"
		}
		return wordTens[t] + "-" + wordUnits[u]
	case n == 71:
		return "soixante et onze"
	case n < 80:
		return "soixante-" + below100(n-60, final)
	case n == 80 && final:
		return "quatre-vingts"
	case n == 80:
		return "quatre-vingt"
	}
	return "quatre-vingt-" + below100(n-80, final)
}
