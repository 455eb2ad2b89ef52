package auth

import (
	"context"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"hash"
	"net/url"
	"strings"
	"testing"
	"time"
)

// memNonces is a NonceStore in memory, for this package's tests only (the
// server's is in the database: store.PublikNonces, tested by server/publik).
type memNonces map[string]time.Time

func (m memNonces) UseNonce(_ context.Context, orig, nonce string, expires, now time.Time) (bool, error) {
	for k, exp := range m {
		if exp.Before(now) {
			delete(m, k)
		}
	}
	k := orig + "\x00" + nonce
	if _, seen := m[k]; seen {
		return false, nil
	}
	m[k] = expires
	return true, nil
}

// publikVectors were computed with Publik's own sign_query (python3
// testdata/signed_url_vectors.py, which copies w.c.s./lingo
// signature.py): query with orig, key, algo, timestamp, nonce → the
// signed query exactly as Publik sends it.
var publikVectors = []struct{ query, orig, key, algo, ts, nonce, signed string }{
	{"NameID=abc123", "publik.montaigu.fr", "s3cr3t-de-test-publik-0001", "sha256", "2026-12-03T12:00:00Z", "7f3a9c0d5e1b2a4c",
		"NameID=abc123&orig=publik.montaigu.fr&algo=sha256&timestamp=2026-12-03T12%3A00%3A00Z&nonce=7f3a9c0d5e1b2a4c&signature=i28Cyyqvdmk36tPo%2BLmgawOdl%2B9gjjZaICbP4ppbzzo%3D"},
	{"payer_external_id=F001001", "publik.montaigu.fr", "s3cr3t-de-test-publik-0001", "sha512", "2026-12-03T12:00:05Z", "n2",
		"payer_external_id=F001001&orig=publik.montaigu.fr&algo=sha512&timestamp=2026-12-03T12%3A00%3A05Z&nonce=n2&signature=xDWKHG1UPNj2JycIphjGcRqtn2RhmQ5paJDrkFnKqj78GULQndi4RWXRomcQu7u2R/dzGgUz7zFSLzG4rININQ%3D%3D"},
	// The worked example of docs/publik.md (also checked with openssl dgst -hmac).
	{"NameID=b8e3c2f1a0d94c7e", "publik.montaigu.fr", "s3cr3t-de-test-publik-0001", "sha256", "2026-12-03T12:00:00Z", "7f3a9c0d5e1b2a4c",
		"NameID=b8e3c2f1a0d94c7e&orig=publik.montaigu.fr&algo=sha256&timestamp=2026-12-03T12%3A00%3A00Z&nonce=7f3a9c0d5e1b2a4c&signature=G95hMuabnYWRXEkIFdVcINRTSr4Zq4B1Soor19B8IL8%3D"},
	{"", "combo.example.org", "une clé avec é et =", "sha384", "2026-01-31T23:59:59Z", "abc",
		"orig=combo.example.org&algo=sha384&timestamp=2026-01-31T23%3A59%3A59Z&nonce=abc&signature=UYhtE3o6KN6SyR9gLQjhbOVuI/qcW7zIguj1WRF%2B4m6B0ONjZx8aK2M8vC9slNg%2B"},
}

func verifier(now time.Time, keys map[string]string) *SignedURLs {
	k := map[string][]byte{}
	for o, v := range keys {
		k[o] = []byte(v)
	}
	return &SignedURLs{Keys: k, Nonces: memNonces{}, Now: func() time.Time { return now }}
}

func TestSignedURLPublikVectors(t *testing.T) {
	for _, v := range publikVectors {
		ts, _ := time.Parse("2006-01-02T15:04:05Z", v.ts)
		// Our signer gives Publik's signature (Publik leaves "/" unquoted,
		// we quote it: the same value once unescaped).
		got, err := SignQuery(v.query, v.orig, []byte(v.key), v.algo, ts, v.nonce)
		if err != nil {
			t.Fatal(err)
		}
		gs, _, gsig, err := ParseSignedQuery(got)
		if err != nil {
			t.Fatal(err)
		}
		ws, _, wsig, err := ParseSignedQuery(v.signed)
		if err != nil {
			t.Fatal(err)
		}
		if gs != ws || !hmac.Equal(gsig, wsig) {
			t.Errorf("SignQuery(%q) = %s, Publik signs %s", v.query, got, v.signed)
		}
		// Our verifier takes Publik's signed query, at its timestamp.
		sv := verifier(ts.Add(29*time.Second), map[string]string{v.orig: v.key})
		q, err := sv.Verify(context.Background(), v.signed)
		if err != nil {
			t.Fatalf("Verify(%s): %v", v.signed, err)
		}
		if q.Orig != v.orig || q.Values.Get("nonce") != v.nonce {
			t.Errorf("Verify: %+v", q)
		}
	}
}

// sign builds a query signed like Publik, with any algo (even refused ones).
func sign(query, key string, newHash func() hash.Hash) string {
	mac := hmac.New(newHash, []byte(key))
	mac.Write([]byte(query))
	return query + "&signature=" + url.QueryEscape(base64.StdEncoding.EncodeToString(mac.Sum(nil)))
}

func TestSignedURLRefusals(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	key := "s3cr3t-de-test-publik-0001"
	good := func(extra string) string {
		s, err := SignQuery("NameID=abc"+extra, "publik", []byte(key), "sha256", now, "n-"+extra)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	base := "NameID=abc&orig=publik&timestamp=2026-12-03T12%3A00%3A00Z&nonce=x1"
	cases := []struct{ name, query, want string }{
		{"unknown orig", strings.Replace(good("1"), "orig=publik", "orig=intrus", 1), "unknown orig"},
		{"unknown orig, signed with its own key", mustSign(t, "NameID=abc", "intrus", key, now), "unknown orig"},
		{"no signature", "NameID=abc&orig=publik&algo=sha256&timestamp=2026-12-03T12%3A00%3A00Z&nonce=z", "no signature"},
		{"missing orig", sign("NameID=abc&algo=sha256&timestamp=2026-12-03T12%3A00%3A00Z&nonce=a", key, sha1.New), "missing orig"},
		{"missing algo", sign(base, key, sha1.New), "missing algo"},
		{"missing timestamp", sign("NameID=abc&orig=publik&algo=sha256&nonce=a", key, sha1.New), "missing timestamp"},
		{"missing nonce", sign("NameID=abc&orig=publik&algo=sha256&timestamp=2026-12-03T12%3A00%3A00Z", key, sha1.New), "missing nonce"},
		{"sha1 refused", sign(base+"&algo=sha1", key, sha1.New), "algo refused"},
		{"md5 refused", sign(base+"&algo=md5", key, md5.New), "algo refused"},
		{"bad signature", strings.Replace(good("2"), "signature=", "signature=AAAA", 1), "bad signature"},
		{"wrong key", mustSign(t, "NameID=abc", "publik", "une-autre-cle-de-seize", now), "bad signature"},
		{"modified query", strings.Replace(good("3"), "NameID=abc3", "NameID=abc4", 1), "bad signature"},
		{"parameter added after the signature", good("4") + "&NameID=victime", "parameters after signature"},
		{"parameter repeated", mustSign(t, "NameID=abc&NameID=victime", "publik", key, now), "repeated parameter"},
		{"old timestamp", mustSign(t, "NameID=abc", "publik", key, now.Add(-31*time.Second)), "timestamp off"},
		{"future timestamp", mustSign(t, "NameID=abc", "publik", key, now.Add(31*time.Second)), "timestamp off"},
		{"malformed timestamp", sign("orig=publik&algo=sha256&timestamp=2026-12-03+12%3A00%3A00&nonce=t", key, sha256.New), "bad timestamp"},
		{"signature not base64", "orig=publik&algo=sha256&timestamp=2026-12-03T12%3A00%3A00Z&nonce=q&signature=%%%", "signature not escaped"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := verifier(now, map[string]string{"publik": key})
			_, err := v.Verify(context.Background(), c.query)
			var se *SignatureError
			if !errors.As(err, &se) || !strings.Contains(se.Reason, c.want) {
				t.Fatalf("Verify(%s) = %v, want refusal %q", c.query, err, c.want)
			}
			if se.Message == "" || strings.ContainsAny(se.Message[:1], "abcdefghijklmnopqrstuvwxyz") {
				t.Errorf("message for people %q: a French sentence expected", se.Message)
			}
		})
	}
}

func mustSign(t *testing.T, query, orig, key string, ts time.Time) string {
	t.Helper()
	s, err := SignQuery(query, orig, []byte(key), "sha256", ts, "n-"+ts.Format("150405")+query)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSignedURLNonceReplayed(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	v := verifier(now, map[string]string{"publik": "s3cr3t-de-test-publik-0001"})
	q := mustSign(t, "NameID=abc", "publik", "s3cr3t-de-test-publik-0001", now)
	if _, err := v.Verify(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	_, err := v.Verify(context.Background(), q)
	var se *SignatureError
	if !errors.As(err, &se) || se.Reason != "nonce replayed" {
		t.Fatalf("replay: %v", err)
	}
	// A nonce is only recorded once the signature holds: a forged query
	// with the same nonce does not burn it for the real caller.
	v2 := verifier(now, map[string]string{"publik": "s3cr3t-de-test-publik-0001"})
	forged := strings.Replace(q, "NameID=abc", "NameID=abd", 1)
	if _, err := v2.Verify(context.Background(), forged); err == nil {
		t.Fatal("forged query accepted")
	}
	if _, err := v2.Verify(context.Background(), q); err != nil {
		t.Fatalf("genuine query after a forged one with its nonce: %v", err)
	}
}
