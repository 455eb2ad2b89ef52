package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/regie-fr/regie/server/api"
	"github.com/regie-fr/regie/sync/protocol"
)

// TestUnknownPathsAndMethodsAnswerFrenchJSON: under /api/, a path no route
// serves gets 404 and a known path with the wrong method 405 with Allow,
// both as protocol.ErrorBody in French.
func TestUnknownPathsAndMethodsAnswerFrenchJSON(t *testing.T) {
	e := newEnv(t, api.Options{})
	cases := []struct {
		method, path string
		status       int
		allow        string
	}{
		{"GET", "/api/nothing", 404, ""},
		{"GET", "/api/sync/v1/nothing", 404, ""},
		{"POST", "/api/sync/v7/push", 404, ""},
		{"GET", protocol.PathPush, 405, "POST"},
		{"DELETE", protocol.PathPull, 405, "GET, HEAD"},
		{"PUT", protocol.PathEnrol, 405, "POST"},
	}
	for _, tc := range cases {
		req, _ := http.NewRequest(tc.method, e.srv.URL+tc.path, strings.NewReader("{}"))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var body protocol.ErrorBody
		if resp.StatusCode != tc.status || json.Unmarshal(raw, &body) != nil || body.Message == "" ||
			!strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") || resp.Header.Get("Allow") != tc.allow {
			t.Errorf("%s %s: %d %q %q Allow %q; want %d Allow %q", tc.method, tc.path, resp.StatusCode, raw,
				resp.Header.Get("Content-Type"), resp.Header.Get("Allow"), tc.status, tc.allow)
		}
		if tc.status == 405 && !strings.Contains(body.Message, "non acceptée") || tc.status == 404 && !strings.Contains(body.Message, "inconnue") {
			t.Errorf("%s %s: message %q", tc.method, tc.path, body.Message)
		}
	}
}
