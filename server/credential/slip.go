package credential

import (
	"crypto/hmac"
	"crypto/sha256"
	"strings"
)

// SlipCode is the code of a household's one-time linking slip, derived
// from the server's slip key and the slip's id (HMAC-SHA-256), in the
// enrolment codes' alphabet and shape (16 characters, about 77 bits): a
// counter that retries its request gets the same code, and the server
// keeps only the code's hash (Hash of NormalizeEnrolCode).
func SlipCode(key []byte, id string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("regie-link-slip\x00" + id))
	sum := m.Sum(nil)
	var s strings.Builder
	for i, x := range sum[:16] {
		if i > 0 && i%4 == 0 {
			s.WriteByte('-')
		}
		s.WriteByte(enrolAlphabet[int(x)%len(enrolAlphabet)])
	}
	return s.String()
}
