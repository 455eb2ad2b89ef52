package credential

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
)

// FromEnrolCode derives the credential a counter gets for an enrolment
// code: HMAC-SHA256 keyed with a secret the server keeps in its database,
// over the normalised code (unique to its counter: the server stores its
// hash under a UNIQUE constraint).
//
// Why derived rather than random: an enrolment whose answer is lost on the
// way must be retryable, and a retry must get the very credential the first
// attempt installed — yet the server keeps only hashes of credentials, so it
// cannot hand a stored one back. Deriving it again from the code the counter
// resends gives the same credential without keeping it anywhere. A copy of
// the database holds the secret but not the code (only its SHA-256, and the
// code carries about 77 random bits), so it still gives no one a credential;
// someone who saw the code can only obtain what the counter got within the
// retry window (store.EnrolRetryWindow), as they could by enrolling first.
func FromEnrolCode(secret []byte, code string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("regie enrol credential v1\x00"))
	m.Write([]byte(NormalizeEnrolCode(code)))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
