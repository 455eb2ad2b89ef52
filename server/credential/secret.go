// Package credential makes and checks the secrets the server hands out. A
// counter's credential and its one-time enrolment code are random tokens
// from crypto/rand; the server keeps only their SHA-256, which is enough for
// secrets with this much entropy (no password is hashed here), so a copy of
// the database gives no one a counter's identity.
package credential

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// NewCredential makes a counter credential: 256 random bits, URL-safe.
func NewCredential() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand panics rather than return short)
	return base64.RawURLEncoding.EncodeToString(b)
}

// enrolAlphabet leaves out the letters people mix up when they copy a code
// from a screen to a keyboard (0/O, 1/I/L, U/V).
const enrolAlphabet = "ABCDEFGHJKMNPQRSTWXYZ23456789"

// NewEnrolCode makes a one-time enrolment code an administrator reads out or
// sends to the person installing a counter: 16 characters (about 77 bits)
// in four groups, "ABCD-EFGH-JKMN-PQRS".
func NewEnrolCode() string {
	b := make([]byte, 16)
	rand.Read(b)
	var s strings.Builder
	for i, x := range b {
		if i > 0 && i%4 == 0 {
			s.WriteByte('-')
		}
		// 256 is not a multiple of 29: the tiny bias costs under 0.1 bit.
		s.WriteByte(enrolAlphabet[int(x)%len(enrolAlphabet)])
	}
	return s.String()
}

// NormalizeEnrolCode lets a person type the code in lower case, with spaces
// or without dashes.
func NormalizeEnrolCode(code string) string {
	var s strings.Builder
	for _, r := range strings.ToUpper(code) {
		if strings.ContainsRune(enrolAlphabet, r) {
			s.WriteRune(r)
		}
	}
	return s.String()
}

// Hash is what the server stores for a secret: hex SHA-256.
func Hash(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// HashEnrolCode hashes an enrolment code in its normalised form.
func HashEnrolCode(code string) string { return Hash(NormalizeEnrolCode(code)) }
