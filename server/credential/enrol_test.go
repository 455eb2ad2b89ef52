package credential

import "testing"

// TestFromEnrolCode: the same secret and code give the same credential
// however the code is typed; another code or another secret give another.
func TestFromEnrolCode(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	c := FromEnrolCode(secret, "ABCD-EFGH-JKMN-PQRS")
	if len(c) != 43 {
		t.Fatalf("credential %q: want 256 bits in base64url", c)
	}
	if FromEnrolCode(secret, "abcd efgh jkmn pqrs") != c {
		t.Error("the typed form of the code changes the credential")
	}
	if FromEnrolCode(secret, "ABCD-EFGH-JKMN-PQRT") == c {
		t.Error("another code gives the same credential")
	}
	if FromEnrolCode([]byte("another secret of thirty-two b.."), "ABCD-EFGH-JKMN-PQRS") == c {
		t.Error("another secret gives the same credential")
	}
	if c == Hash("ABCDEFGHJKMNPQRS") || c == FromEnrolCode(nil, "ABCD-EFGH-JKMN-PQRS") {
		t.Error("the credential does not depend on the secret")
	}
}
