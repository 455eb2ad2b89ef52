package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/regie-fr/regie/server/store"
)

// startServe runs `serve` in-process as an administrator would start it,
// with the environment given, and returns its base URL (on a free port
// unless REGIE_ADDR says where). Its log goes to logs[0] when given.
func startServe(t *testing.T, vars map[string]string, logs ...io.Writer) string {
	t.Helper()
	if vars["REGIE_ADDR"] == "" {
		vars["REGIE_ADDR"] = "127.0.0.1:0"
	}
	if vars["REGIE_DB"] == "" {
		vars["REGIE_DB"] = filepath.Join(t.TempDir(), "serveur.db")
	}
	ctx, stop := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	exited := make(chan int, 1)
	var stderr io.Writer = io.Discard
	if len(logs) > 0 {
		stderr = logs[0]
	}
	go func() {
		exited <- run(ctx, []string{"serve"}, env{get: func(k string) string { return vars[k] }, ready: ready}, io.Discard, stderr)
	}()
	t.Cleanup(func() {
		stop()
		<-exited
	})
	select {
	case addr := <-ready:
		return "http://" + addr
	case code := <-exited:
		t.Fatalf("serve exited %d", code)
	}
	return ""
}

func get(t *testing.T, method, u string, header http.Header) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest(method, u, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// TestServePublicPagesWithoutProvider: a server started with no OpenID
// provider serves the public pages — the home saying the login is not open
// yet, the receipt check every QR code points to, the accessibility
// statement, the style sheet — and French 404, 405 and 431 pages, the
// last through the real http.Server.
func TestServePublicPagesWithoutProvider(t *testing.T) {
	base := startServe(t, map[string]string{})
	for _, c := range []struct {
		method, path string
		header       http.Header
		status       int
		want         string
	}{
		{"GET", "/", nil, 200, "n'est pas encore ouverte"},
		{"GET", "/connexion", nil, 200, "n'est pas encore ouverte"},
		{"GET", "/connexion/franceconnect", nil, 503, "n'est pas encore ouverte"},
		{"GET", "/verifier", nil, 200, "Vérifier un reçu"},
		{"GET", "/verifier?recu=r-enf-c01-2026-000001&empreinte=0123456789abcdef", nil, 200, "Reçu inconnu"},
		{"GET", "/accessibilite", nil, 200, "Déclaration d&#39;accessibilité"},
		{"GET", "/static/portal.css", nil, 200, ":focus-visible"},
		{"GET", "/paiements", nil, 303, ""},
		{"GET", "/nulle-part", nil, 404, "Page introuvable"},
		{"POST", "/verifier", nil, 405, "Action impossible"},
		{"GET", "/verifier", http.Header{"Cookie": {"x=" + strings.Repeat("a", 100<<10)}}, 431, "Requête trop volumineuse"},
		{"GET", "/healthz", nil, 200, ""},
		{"GET", "/api/sync/v1/pull", nil, 401, "Poste non identifié"},
	} {
		status, h, body := get(t, c.method, base+c.path, c.header)
		if status != c.status || !strings.Contains(body, c.want) {
			t.Errorf("%s %s: %d, want %d with %q\n%.300s", c.method, c.path, status, c.status, c.want, body)
		}
		if status == 405 && h.Get("Allow") != "GET, HEAD" {
			t.Errorf("405 without Allow: %v", h)
		}
		if h.Get("Strict-Transport-Security") != "" {
			t.Errorf("HSTS over plain HTTP")
		}
	}
}

// TestRoutesHSTSWhenTLS: HSTS is sent when the server terminates TLS
// itself, on the portal and the API alike.
func TestRoutesHSTSWhenTLS(t *testing.T) {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "serveur.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h, err := routes(context.Background(), st, &config{Addr: "127.0.0.1:8443", TLSCert: "cert.pem", TLSKey: "key.pem"},
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/", "/verifier", "/healthz"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", p, nil))
		if !strings.HasPrefix(rec.Header().Get("Strict-Transport-Security"), "max-age=") {
			t.Errorf("%s: no HSTS", p)
		}
	}
	if _, err := routes(context.Background(), st, &config{TrustedProxies: "10.0.0.0/8, pas un réseau"},
		slog.New(slog.NewTextHandler(io.Discard, nil))); err == nil {
		t.Fatal("a bad REGIE_TRUSTED_PROXIES accepted")
	}
}

// TestServeProxySettings: REGIE_TRUSTED_PROXIES and --trusted-proxies are
// read like every setting, and a bad network stops serve before it starts.
func TestServeProxySettings(t *testing.T) {
	db := filepath.Join(t.TempDir(), "serveur.db")
	for _, c := range []struct {
		args []string
		vars map[string]string
	}{
		{[]string{"serve"}, map[string]string{"REGIE_TRUSTED_PROXIES": "10.0.0.0/8, pas-un-reseau"}},
		{[]string{"serve", "--trusted-proxies", "10.0.0.0/33"}, map[string]string{}},
	} {
		c.vars["REGIE_DB"], c.vars["REGIE_ADDR"] = db, "127.0.0.1:0"
		var errb strings.Builder
		code := run(context.Background(), c.args, env{get: func(k string) string { return c.vars[k] }}, io.Discard, &errb)
		if code != 2 || !strings.Contains(errb.String(), "REGIE_TRUSTED_PROXIES") {
			t.Errorf("%v %v: exit %d %s", c.args, c.vars, code, errb.String())
		}
	}
}
