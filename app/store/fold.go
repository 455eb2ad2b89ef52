package store

import "strings"

var folder = strings.NewReplacer(
	"à", "a", "â", "a", "ä", "a", "á", "a", "ã", "a", "å", "a",
	"ç", "c", "é", "e", "è", "e", "ê", "e", "ë", "e",
	"î", "i", "ï", "i", "í", "i", "ì", "i", "ñ", "n",
	"ô", "o", "ö", "o", "ó", "o", "ò", "o", "õ", "o",
	"ù", "u", "û", "u", "ü", "u", "ú", "u", "ÿ", "y",
	"œ", "oe", "æ", "ae", "-", " ", "'", " ", "’", " ",
)

// Fold lowers s and strips French accents, so that an agent typing "helene"
// finds "Hélène" and "LEFEVRE" finds "Lefèvre".
func Fold(s string) string {
	return folder.Replace(strings.ToLower(s))
}
