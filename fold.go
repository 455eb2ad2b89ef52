package regie

import (
	"strings"
	"time"
)

// nameFolder maps the letters of French (and neighbouring) names to their
// plain form, and the marks that join or split names (hyphen, apostrophes,
// dots) to spaces.
var nameFolder = strings.NewReplacer(
	"à", "a", "â", "a", "ä", "a", "á", "a", "ã", "a", "å", "a", "ā", "a",
	"ç", "c", "ć", "c", "č", "c", "é", "e", "è", "e", "ê", "e", "ë", "e", "ē", "e", "ě", "e",
	"î", "i", "ï", "i", "í", "i", "ì", "i", "ī", "i", "ñ", "n", "ń", "n", "ň", "n",
	"ô", "o", "ö", "o", "ó", "o", "ò", "o", "õ", "o", "ø", "o", "ō", "o",
	"ù", "u", "û", "u", "ü", "u", "ú", "u", "ū", "u", "ů", "u", "ÿ", "y", "ý", "y",
	"š", "s", "ś", "s", "ž", "z", "ź", "z", "ż", "z", "ł", "l", "ř", "r", "ď", "d", "ť", "t",
	"œ", "oe", "æ", "ae", "ß", "ss",
	"-", " ", "‐", " ", "‑", " ", "–", " ", "'", " ", "’", " ", "‘", " ", ".", " ", ",", " ",
)

// FoldName is how two spellings of one person's name are compared: without
// case, accents, hyphens, apostrophes or extra spaces, so that "LEFEVRE",
// "Lefèvre" and "le-fèvre " agree. The counter's search folds the same
// way (app/store.Fold); the portal compares the name FranceConnect vouches
// for with the household's members through it.
func FoldName(s string) string {
	return strings.Join(strings.Fields(nameFolder.Replace(strings.ToLower(s))), " ")
}

// AdultOn tells whether someone born on birthDate (YYYY-MM-DD) is 18 or
// more on day (YYYY-MM-DD); false when either date is not a date. Someone
// born on 29 February comes of age on 1 March in a common year.
func AdultOn(birthDate, day string) bool {
	b, err := time.Parse(time.DateOnly, birthDate)
	if err != nil {
		return false
	}
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return false
	}
	return !d.Before(b.AddDate(18, 0, 0))
}

// SameName tells whether two spellings name the same person: equal once
// folded, spaces left out too, so that "Le Fèvre", "LE-FEVRE" and
// "Lefèvre" agree ("" matches nothing).
func SameName(a, b string) bool {
	x := strings.ReplaceAll(FoldName(a), " ", "")
	return x != "" && x == strings.ReplaceAll(FoldName(b), " ", "")
}
