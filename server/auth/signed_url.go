package auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"net/url"
	"strings"
	"time"
)

// SignedURLWindow is how far a signed URL's timestamp may be from the
// server's clock, either way: Publik's own verifier (w.c.s. signature.py)
// allows 30 seconds.
const SignedURLWindow = 30 * time.Second

// NonceStore remembers the nonces of signed URLs already served. Use
// records nonce for orig until expires and tells whether it was fresh: a
// nonce seen before (and not yet expired) is a replay. It lives in the
// database, so that every server instance sees the others' nonces
// (ARCHITECTURE rule 11); expired nonces are swept by Use itself.
type NonceStore interface {
	UseNonce(ctx context.Context, orig, nonce string, expires, now time.Time) (fresh bool, err error)
}

// SignedURLs verifies URLs signed the way Entr'ouvert's Publik signs the
// calls it makes to web services (sign_query in w.c.s./lingo
// signature.py): the caller appends orig, algo, timestamp and nonce to the
// query, then signature = base64(HMAC-algo(key of orig, query so far)),
// URL-quoted, as the last parameter.
type SignedURLs struct {
	// Keys maps each caller (orig) to its shared secret.
	Keys   map[string][]byte
	Nonces NonceStore
	Now    func() time.Time
}

// SignedQuery is a verified query: who signed it and its parameters, each
// at most once.
type SignedQuery struct {
	Orig   string
	Values url.Values
}

// SignatureError is a refusal of a signed URL: Reason is for the logs (in
// English), Message for the caller (in French).
type SignatureError struct {
	Reason  string
	Message string
}

func (e *SignatureError) Error() string { return "signed url: " + e.Reason }

func refuse(reason, msg string) *SignatureError { return &SignatureError{Reason: reason, Message: msg} }

// signedAlgos are the digests a signature may use. SHA-1 and MD5, which
// Publik's verifier still takes, are refused.
var signedAlgos = map[string]func() hash.Hash{"sha256": sha256.New, "sha384": sha512.New384, "sha512": sha512.New}

// ParseSignedQuery splits a raw query into the signed part and the
// signature, and parses the signed part. The signature must be the last
// parameter and appear once; every parameter of the signed part appears
// once and is well escaped, so what the handler reads is exactly what was
// signed (Publik's verifier signs what comes before the first
// "&signature=", and would read a parameter added after it unsigned).
func ParseSignedQuery(raw string) (signed string, values url.Values, sig []byte, err error) {
	const mark = "&signature="
	i := strings.Index(raw, mark)
	if i < 0 {
		if strings.HasPrefix(raw, "signature=") {
			return "", nil, nil, refuse("signature alone", "La signature doit suivre les paramètres qu'elle couvre.")
		}
		return "", nil, nil, refuse("no signature", "Adresse non signée : le paramètre signature manque.")
	}
	signed, rest := raw[:i], raw[i+len(mark):]
	if strings.ContainsAny(rest, "&;") {
		return "", nil, nil, refuse("parameters after signature", "La signature doit être le dernier paramètre de l'adresse.")
	}
	enc, err := url.QueryUnescape(rest)
	if err != nil {
		return "", nil, nil, refuse("signature not escaped", "Signature mal encodée.")
	}
	sig, err = base64.StdEncoding.Strict().DecodeString(enc)
	if err != nil || len(sig) == 0 {
		return "", nil, nil, refuse("signature not base64", "Signature mal encodée (base64 attendu).")
	}
	values, err = url.ParseQuery(signed)
	if err != nil {
		return "", nil, nil, refuse("query not escaped", "Paramètres de l'adresse mal encodés.")
	}
	for k, v := range values {
		if len(v) > 1 {
			return "", nil, nil, refuse("repeated parameter "+k, fmt.Sprintf("Le paramètre « %s » est répété.", k))
		}
		if k == "signature" {
			return "", nil, nil, refuse("signature twice", "Le paramètre signature est répété.")
		}
	}
	return signed, values, sig, nil
}

// Verify checks a raw query string signed by one of the known callers at
// now: known orig, allowed algo, signature (compared in constant time),
// timestamp within SignedURLWindow, nonce never used. The nonce is
// recorded only once everything else holds, so unsigned requests cannot
// fill the table. Refusals are *SignatureError; other errors are the
// nonce store's.
func (s *SignedURLs) Verify(ctx context.Context, raw string) (*SignedQuery, error) {
	signed, values, sig, err := ParseSignedQuery(raw)
	if err != nil {
		return nil, err
	}
	for _, k := range []string{"orig", "algo", "timestamp", "nonce"} {
		if values.Get(k) == "" {
			return nil, refuse("missing "+k, fmt.Sprintf("Adresse signée incomplète : le paramètre « %s » manque.", k))
		}
	}
	orig := values.Get("orig")
	key, ok := s.Keys[orig]
	if !ok || len(key) == 0 {
		return nil, refuse("unknown orig", "Appelant inconnu (orig).")
	}
	newHash, ok := signedAlgos[values.Get("algo")]
	if !ok {
		return nil, refuse("algo refused: "+values.Get("algo"), "Algorithme de signature refusé : sha256, sha384 ou sha512 attendu.")
	}
	mac := hmac.New(newHash, key)
	mac.Write([]byte(signed))
	if !hmac.Equal(mac.Sum(nil), sig) {
		return nil, refuse("bad signature", "Signature invalide.")
	}
	ts, err := time.Parse("2006-01-02T15:04:05Z", values.Get("timestamp"))
	if err != nil {
		return nil, refuse("bad timestamp", "Horodatage invalide : AAAA-MM-JJTHH:MM:SSZ (UTC) attendu.")
	}
	now := s.Now()
	if d := now.Sub(ts); d > SignedURLWindow || d < -SignedURLWindow {
		return nil, refuse(fmt.Sprintf("timestamp off by %s", d), "Horodatage hors délai : l'horloge de l'appelant ou du serveur est décalée de plus de 30 secondes.")
	}
	nonce := values.Get("nonce")
	if len(nonce) > 128 {
		return nil, refuse("nonce too long", "Nonce trop long (128 caractères au plus).")
	}
	fresh, err := s.Nonces.UseNonce(ctx, orig, nonce, ts.Add(SignedURLWindow+time.Second), now)
	if err != nil {
		return nil, fmt.Errorf("signed url: nonce: %w", err)
	}
	if !fresh {
		return nil, refuse("nonce replayed", "Cette adresse signée a déjà servi (nonce rejoué).")
	}
	return &SignedQuery{Orig: orig, Values: values}, nil
}

// SignQuery signs query for orig the way Publik does (sign_query), for
// tests and for documentation: query + "&orig=…&algo=…&timestamp=…&nonce=…"
// then "&signature=" + the quoted base64 HMAC.
func SignQuery(query, orig string, key []byte, algo string, ts time.Time, nonce string) (string, error) {
	newHash, ok := signedAlgos[algo]
	if !ok {
		return "", errors.New("signed url: unknown algo " + algo)
	}
	q := query
	if q != "" {
		q += "&"
	}
	q += url.Values{"orig": {orig}}.Encode() + "&" + "algo=" + url.QueryEscape(algo) + "&timestamp=" +
		url.QueryEscape(ts.UTC().Format("2006-01-02T15:04:05Z")) + "&nonce=" + url.QueryEscape(nonce)
	mac := hmac.New(newHash, key)
	mac.Write([]byte(q))
	return q + "&signature=" + url.QueryEscape(base64.StdEncoding.EncodeToString(mac.Sum(nil))), nil
}
