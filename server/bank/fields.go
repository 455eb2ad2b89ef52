package bank

import (
	"bytes"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/regie-fr/regie"
)

// ValidIBAN checks an IBAN's form and check digits (regie.ValidIBAN).
func ValidIBAN(s string) bool { return regie.ValidIBAN(s) }

// NormIBAN is an IBAN as stored (regie.NormIBAN).
func NormIBAN(s string) string { return regie.NormIBAN(s) }

// parseISODay reads YYYY-MM-DD.
func parseISODay(s string) (string, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return "", err
	}
	return t.Format(time.DateOnly), nil
}

// parseXMLAmount reads an ISO 20022 amount ("61.6", "1234.56"): digits,
// a point and at most five fraction digits, of which those past the cents
// must be zeros. It never goes through a float.
func parseXMLAmount(s string) (regie.Money, bool) {
	s = strings.TrimSpace(s)
	ip, fp, hasDot := strings.Cut(s, ".")
	if ip == "" || len(ip) > 15 || !digits(ip) || hasDot && (fp == "" || len(fp) > 5 || !digits(fp)) {
		return 0, false
	}
	if len(fp) > 2 {
		if strings.Trim(fp[2:], "0") != "" {
			return 0, false
		}
		fp = fp[:2]
	}
	fp += strings.Repeat("0", 2-len(fp))
	var n int64
	for _, c := range ip + fp {
		n = n*10 + int64(c-'0')
	}
	return regie.Money(n), true
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// decodeText turns a CSV export into UTF-8 text by the rule of the
// business software's imports (server/exchange): valid UTF-8 is taken as
// such, a file with no UTF-8 sequence at all as Windows-1252, a file that
// mixes both — or UTF-16, or binary — is refused.
func decodeText(data []byte) (string, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if bytes.HasPrefix(data, []byte("\xff\xfe")) || bytes.HasPrefix(data, []byte("\xfe\xff")) || bytes.IndexByte(data, 0) >= 0 {
		return "", refuse("Fichier en UTF-16 ou binaire : enregistrez le relevé en UTF-8 ou en Windows-1252 (ANSI).")
	}
	if utf8.Valid(data) {
		return string(data), nil
	}
	for i, line := range bytes.Split(data, []byte("\n")) {
		if !utf8.Valid(line) && hasUTF8Sequence(data) {
			return "", refuse("Ligne %d : encodage incohérent (cette ligne n'est pas en UTF-8 alors que d'autres le sont).", i+1)
		}
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return "", refuse("Encodage du fichier illisible.")
	}
	return string(out), nil
}

func hasUTF8Sequence(data []byte) bool {
	for i := 0; i < len(data); i++ {
		if data[i] < utf8.RuneSelf {
			continue
		}
		if r, n := utf8.DecodeRune(data[i:]); r != utf8.RuneError && n > 1 {
			return true
		}
	}
	return false
}
