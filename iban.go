package regie

import "strings"

// ValidIBAN checks an IBAN's form and its ISO 13616 check digits (mod 97),
// spaces allowed: a statement of a mistyped account is refused.
func ValidIBAN(s string) bool {
	s = NormIBAN(s)
	if len(s) < 15 || len(s) > 34 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter, digit := c >= 'A' && c <= 'Z', c >= '0' && c <= '9'
		if !letter && !digit || i < 2 && !letter || (i == 2 || i == 3) && !digit {
			return false
		}
	}
	rem := 0
	for _, c := range s[4:] + s[:4] {
		if c >= 'A' {
			v := int(c-'A') + 10
			rem = (rem*100 + v) % 97
		} else {
			rem = (rem*10 + int(c-'0')) % 97
		}
	}
	return rem == 1
}

// NormIBAN is an IBAN without spaces, in capitals: the form it is stored in.
func NormIBAN(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}
