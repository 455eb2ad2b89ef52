package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie/server/auth"
)

// serve mounts the Publik API under /api/regie/ with the keys of
// REGIE_PUBLIK_KEYS, beside the sync API, and refuses malformed keys.
func TestServePublikMounted(t *testing.T) {
	base := startServe(t, map[string]string{"REGIE_PUBLIK_KEYS": "publik.test=s3cr3t-de-test-publik-0001"})
	q, err := auth.SignQuery("NameID=u", "publik.test", []byte("s3cr3t-de-test-publik-0001"), "sha256", time.Now(), "serve-1")
	if err != nil {
		t.Fatal(err)
	}
	// Signed: the API answers (no régie in an empty database).
	code, h, body := get(t, "GET", base+"/api/regie/enf/invoices/?"+q, nil)
	if code != http.StatusNotFound || !strings.HasPrefix(h.Get("Content-Type"), "application/json") || !strings.Contains(body, "Régie inconnue") {
		t.Errorf("signed: %d %s", code, body)
	}
	// Signed with another key: refused.
	q2, _ := auth.SignQuery("NameID=u", "publik.test", []byte("une-autre-cle-de-seize"), "sha256", time.Now(), "serve-2")
	if code, _, body := get(t, "GET", base+"/api/regie/enf/invoices/?"+q2, nil); code != http.StatusForbidden || !strings.Contains(body, `"err":1`) {
		t.Errorf("bad key: %d %s", code, body)
	}
	// The sync API is still the sync API.
	if code, _, _ := get(t, "GET", base+"/healthz", nil); code != http.StatusOK {
		t.Errorf("healthz: %d", code)
	}

	exit := run(context.Background(), []string{"serve"}, env{get: func(k string) string {
		return map[string]string{"REGIE_PUBLIK_KEYS": "publik.test=court", "REGIE_ADDR": "127.0.0.1:0",
			"REGIE_DB": t.TempDir() + "/s.db"}[k]
	}}, io.Discard, io.Discard)
	if exit == 0 {
		t.Error("serve started with a short Publik key")
	}
}
