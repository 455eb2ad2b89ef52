package publik

import (
	"fmt"
	"strings"
)

// ParseKeys reads the callers' keys as REGIE_PUBLIK_KEYS gives them:
// "orig1=key1,orig2=key2" (spaces around items ignored; a key is
// everything after the first "=", so it may hold "=" but not ","). An
// orig named twice, an empty orig or key, or a key shorter than 16
// characters is refused: a short shared secret can be guessed offline from
// one signed URL.
func ParseKeys(s string) (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		orig, key, found := strings.Cut(item, "=")
		orig, key = strings.TrimSpace(orig), strings.TrimSpace(key)
		switch {
		case !found || orig == "":
			return nil, fmt.Errorf("clé Publik : « orig=clé » attendu")
		case len(key) < 16:
			return nil, fmt.Errorf("clé Publik de %s : 16 caractères au moins", orig)
		case out[orig] != nil:
			return nil, fmt.Errorf("clé Publik : %s est nommé deux fois", orig)
		}
		out[orig] = []byte(key)
	}
	return out, nil
}
