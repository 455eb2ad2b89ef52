package api_test

import (
	"database/sql"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/regie-fr/regie/server/api"
	"github.com/regie-fr/regie/sync/protocol"
)

// FuzzJournalHead sends any value as the counter's journal head: a seq is
// recorded as it is and the pull answered, anything else is refused with
// 400 and records nothing new; never a 500.
func FuzzJournalHead(f *testing.F) {
	for _, s := range []string{"0", "42", " 7 ", "-1", "abc", "9223372036854775807", "9223372036854775808", "1e3", "+5", "０"} {
		f.Add(s)
	}
	e := newEnv(f, api.Options{})
	cred := e.creds["C01"]
	f.Fuzz(func(t *testing.T, head string) {
		req, err := http.NewRequest("GET", e.srv.URL+protocol.PathPull+"?cursor=&limit=1", nil)
		if err != nil {
			return
		}
		req.Header.Set("Authorization", "Bearer "+cred)
		req.Header.Set(protocol.HeaderJournalHead, head)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return // a value no HTTP client sends (a line break…)
		}
		res.Body.Close()
		// What the server reads: the header's value as net/http gives it.
		sent := strings.TrimSpace(req.Header.Get(protocol.HeaderJournalHead))
		n, perr := strconv.ParseInt(sent, 10, 64)
		valid := sent != "" && perr == nil && n >= 0
		switch {
		case res.StatusCode == http.StatusOK && (valid || sent == ""):
		case res.StatusCode == http.StatusBadRequest && !valid && sent != "":
			return
		default:
			t.Fatalf("head %q: status %d", head, res.StatusCode)
		}
		if valid {
			var got sql.NullInt64
			e.st.QueryRow(`SELECT reported_head FROM counter_sync s JOIN counters c ON c.id = s.counter_id
				WHERE c.code = 'C01'`).Scan(&got)
			if !got.Valid || got.Int64 != n {
				t.Fatalf("head %q recorded as %+v", head, got)
			}
		}
	})
}
