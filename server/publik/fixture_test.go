package publik

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie/server/auth"
	"github.com/regie-fr/regie/server/demoserver"
	"github.com/regie-fr/regie/server/servertest"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/server/store/storetest"
)

const (
	testOrig = "publik.montaigu.fr"
	testKey  = "s3cr3t-de-test-publik-0001"
)

// fixture is a real server store seeded with the demo régie ENF behind a
// real HTTP server with the Publik API mounted as regie-serveur mounts it.
type fixture struct {
	t     testing.TB
	st    *store.Store
	path  string
	srv   *httptest.Server
	now   time.Time
	nonce int
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	path := storetest.DB(t, "serveur")
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	servertest.Seed(t, st)
	f := &fixture{t: t, st: st, path: path, now: time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)}
	f.srv = httptest.NewServer(f.mux(st))
	t.Cleanup(f.srv.Close)
	return f
}

// mux mounts an API instance on the store, at the clock of the fixture.
func (f *fixture) mux(st *store.Store) http.Handler {
	m := http.NewServeMux()
	m.Handle(Prefix, New(st, Config{Keys: map[string][]byte{testOrig: []byte(testKey)},
		BaseURL: "https://regie.montaigu.example", Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return f.now }}))
	return m
}

// signed is path?query signed as Publik signs it, with a fresh nonce.
func (f *fixture) signed(path, query string) string {
	f.nonce++
	q, err := auth.SignQuery(query, testOrig, []byte(testKey), "sha256", f.now, fmt.Sprintf("%x", f.nonce*7919))
	if err != nil {
		f.t.Fatal(err)
	}
	return f.srv.URL + path + "?" + q
}

// do sends a request and returns the status and body.
func (f *fixture) do(method, url string, body any) (int, []byte, http.Header) {
	f.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			f.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		f.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		f.t.Fatal(err)
	}
	return res.StatusCode, b, res.Header
}

// get sends a signed GET.
func (f *fixture) get(path, query string) (int, []byte) {
	s, b, _ := f.do("GET", f.signed(path, query), nil)
	return s, b
}

// post sends a signed POST with a JSON body.
func (f *fixture) post(path, query string, body any) (int, []byte) {
	s, b, _ := f.do("POST", f.signed(path, query), body)
	return s, b
}

// envelope decodes an answer, numbers kept as their text.
func decodeEnvelope(t testing.TB, b []byte) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("not JSON: %s", b)
	}
	return m
}

// data is the data of a successful answer.
func data(t testing.TB, status int, b []byte) any {
	t.Helper()
	m := decodeEnvelope(t, b)
	if status != http.StatusOK || m["err"] != json.Number("0") {
		t.Fatalf("status %d, answer %s", status, b)
	}
	if len(m) != 2 {
		t.Fatalf("envelope %s: err and data only", b)
	}
	return m["data"]
}

// refusal checks an error answer: status, err 1 and a French err_desc.
func refusal(t *testing.T, status int, b []byte, want int) string {
	t.Helper()
	m := decodeEnvelope(t, b)
	desc, _ := m["err_desc"].(string)
	if status != want || m["err"] != json.Number("1") || desc == "" {
		t.Fatalf("status %d (want %d), answer %s", status, want, b)
	}
	if _, has := m["data"]; has {
		t.Fatalf("refusal with data: %s", b)
	}
	return desc
}

// link links the Publik user nameID to the demo household h-0001
// (Lefèvre Hélène, account F001001).
func (f *fixture) link(nameID string) {
	f.t.Helper()
	s, b := f.post("/api/regie/enf/link/", "NameID="+nameID, map[string]string{"access_code": "k7q 101x",
		"family_name": "LEFEVRE", "birth_date": "1984-05-12", "first_name": "Hélène"})
	data(f.t, s, b)
}

// pdfText extracts a PDF's text with pdftotext (poppler-utils).
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %.200s", pdf)
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// newServer starts a second server instance on the same database file,
// with its own store handle, as a second regie-serveur process would.
func newServer(t testing.TB, f *fixture) string {
	t.Helper()
	st, err := store.Open(context.Background(), f.path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv := httptest.NewServer(f.mux(st))
	t.Cleanup(srv.Close)
	return srv.URL
}

// demoSlip is the demo's linking slip for h-0001 (the same code each
// time: the slip is made once under its id).
func demoSlip(t *testing.T, f *fixture) string {
	t.Helper()
	var code string
	err := f.st.Update(context.Background(), func(tx *store.Tx) error {
		s, err := demoserver.Slip(tx, f.now)
		if s != nil {
			code = s.Code
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return code
}
