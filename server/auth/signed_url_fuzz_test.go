package auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"strings"
	"testing"
	"time"
)

// FuzzSignedQuery feeds any query to the parser and the verifier: neither
// panics; what the parser accepts ends with one signature after exactly
// the part it parsed, each parameter once; what the verifier accepts is
// signed by the key over exactly that part.
func FuzzSignedQuery(f *testing.F) {
	for _, v := range publikVectors {
		f.Add(v.signed)
	}
	f.Add("a=1&signature=x&b=2")
	f.Add("signature=AAAA")
	f.Add("orig=p&orig=q&signature=AAAA")
	f.Add("a=%zz&signature=AAAA")
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	key := []byte("s3cr3t-de-test-publik-0001")
	f.Fuzz(func(t *testing.T, raw string) {
		signed, values, sig, err := ParseSignedQuery(raw)
		if err != nil {
			if _, ok := err.(*SignatureError); !ok {
				t.Fatalf("error of another type: %v", err)
			}
			return
		}
		rest, found := strings.CutPrefix(raw, signed+"&signature=")
		if !found || strings.ContainsAny(rest, "&;") || len(sig) == 0 {
			t.Fatalf("accepted %q: signed part %q", raw, signed)
		}
		for k, vs := range values {
			if len(vs) != 1 || k == "signature" {
				t.Fatalf("accepted %q with %s = %v", raw, k, vs)
			}
		}
		v := &SignedURLs{Keys: map[string][]byte{"publik.montaigu.fr": key, "combo.example.org": key},
			Nonces: memNonces{}, Now: func() time.Time { return now }}
		q, err := v.Verify(context.Background(), raw)
		if err != nil {
			return
		}
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte(signed))
		if q.Values.Get("algo") == "sha256" && !hmac.Equal(mac.Sum(nil), sig) {
			t.Fatalf("accepted %q without a valid signature", raw)
		}
	})
}
