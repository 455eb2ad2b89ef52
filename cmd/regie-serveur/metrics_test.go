package main

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/sync/protocol"
)

// scrape reads one sample of /metrics: the value of the line that starts
// with name (labels included, as exposed), -1 when there is none.
func scrape(t *testing.T, addr string) func(name string) float64 {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/metrics: %d %s", resp.StatusCode, body)
	}
	return func(name string) float64 {
		m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + ` (\S+)$`).FindStringSubmatch(string(body))
		if m == nil {
			return -1
		}
		v, err := strconv.ParseFloat(m[1], 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// TestMetricsMoveWithTraffic scrapes a real serve: a desk's push, a refused
// push and a portal page move the counters; the journal's entries, the
// counter's backlog and the PayFiP orders come from the database.
func TestMetricsMoveWithTraffic(t *testing.T) {
	maddr := freeAddr(t)
	w := newWorld(t, map[string]string{"REGIE_METRICS_ADDR": maddr})
	before := scrape(t, maddr)
	if v := before(`regie_sync_pushes_total{code="",result="accepted"}`); v != -1 {
		t.Fatalf("pushes before any: %v", v)
	}
	if v := before(`regie_payfip_orders_waiting`); v != 0 {
		t.Fatalf("PayFiP orders waiting on a fresh base: %v", v)
	}

	w.deskCash("h-0001", "i-0001-2", 20_00)
	req, _ := http.NewRequest(http.MethodPost, w.base+protocol.PathPush, strings.NewReader("{}"))
	req.Header.Set("Authorization", "Bearer nope")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("push with a bad token: %d", resp.StatusCode)
	}
	if c, _, _ := get(t, "GET", w.base+"/", nil); c != http.StatusOK {
		t.Fatalf("portal home: %d", c)
	}

	after := scrape(t, maddr)
	if v := after(`regie_sync_pushes_total{code="",result="accepted"}`); v < 1 {
		t.Errorf("accepted pushes: %v", v)
	}
	if v := after(`regie_sync_pushes_total{code="` + protocol.CodeUnauthorized + `",result="refused"}`); v != 1 {
		t.Errorf("refused pushes (unauthorized): %v", v)
	}
	if v := after(`regie_sync_push_duration_seconds_count{result="accepted"}`); v < 1 {
		t.Errorf("push latency observations: %v", v)
	}
	if v := after(`regie_http_requests_total{area="portal",status="200"}`); v < 1 {
		t.Errorf("portal requests: %v", v)
	}
	if v := after(`regie_http_requests_total{area="sync",status="401"}`); v != 1 {
		t.Errorf("sync 401 requests: %v", v)
	}

	st, err := store.Open(context.Background(), w.db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var entries int64
	if err := st.QueryRow(`SELECT COUNT(*) FROM journal j JOIN counters c ON c.id = j.counter_id
		WHERE c.regie = 'ENF' AND c.code = 'C01'`).Scan(&entries); err != nil {
		t.Fatal(err)
	}
	if v := after(`regie_journal_entries{counter="C01",regie="ENF"}`); entries == 0 || v != float64(entries) {
		t.Errorf("journal entries of C01: metric %v, database %d", v, entries)
	}
	if v := after(`regie_counter_entries_behind{counter="C01",regie="ENF"}`); v != 0 {
		t.Errorf("C01 behind after a full sync: %v", v)
	}
	// The counter now says it holds five more entries than the server has.
	if _, err := st.Exec(`UPDATE counter_sync SET reported_head = reported_head + 5
		WHERE counter_id = (SELECT id FROM counters WHERE regie = 'ENF' AND code = 'C01')`); err != nil {
		t.Fatal(err)
	}
	if v := scrape(t, maddr)(`regie_counter_entries_behind{counter="C01",regie="ENF"}`); v != 5 {
		t.Errorf("C01 behind: %v, want 5", v)
	}
}

// TestMetricsOffByDefault: without REGIE_METRICS_ADDR nothing listens for
// /metrics, and the public address does not answer it with figures.
func TestMetricsOffByDefault(t *testing.T) {
	base := startServe(t, map[string]string{})
	code, _, body := get(t, "GET", base+"/metrics", nil)
	if code == http.StatusOK && strings.Contains(body, "regie_") {
		t.Fatalf("/metrics published on the public address: %d", code)
	}
}

func TestArea(t *testing.T) {
	for path, want := range map[string]string{protocol.PathPush: "sync", "/api/regie/ENF/x": "publik", "/gestion": "gestion",
		"/gestion/paiements": "gestion", "/gestionnaire": "portal", "/payfip/notification": "payfip", "/healthz": "health",
		"/api/other": "api", "/": "portal", "/recu/x": "portal"} {
		if got := area(path); got != want {
			t.Errorf("area(%q) = %q, want %q", path, got, want)
		}
	}
}
