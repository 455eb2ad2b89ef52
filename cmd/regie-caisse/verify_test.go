package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/regie-fr/regie/sync/protocol"
)

// demoFile runs the demo day into a file and returns it with its journal
// heads (seq, id, hash).
func demoFile(t *testing.T) (string, []protocol.JournalHead) {
	t.Helper()
	db := filepath.Join(t.TempDir(), "caisse du jour.db")
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"demo-console", "--db", db}, &out, &errb); code != 0 {
		t.Fatalf("demo: %d %s", code, errb.String())
	}
	raw, err := sql.Open("sqlite", "file:"+db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rows, err := raw.Query(`SELECT seq, id, hash FROM journal ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var heads []protocol.JournalHead
	for rows.Next() {
		var h protocol.JournalHead
		rows.Scan(&h.Seq, &h.ID, &h.Hash)
		heads = append(heads, h)
	}
	return db, heads
}

func execSQL(t *testing.T, db string, stmts ...string) {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range stmts {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func runVerify(args ...string) (string, string, int) {
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"verify"}, args...), &out, &errb)
	return out.String(), errb.String(), code
}

// TestVerifyAnchorsFromTheCommandLine gives verify the Z report's and a
// receipt's anchors, right and wrong, before or after the file name.
func TestVerifyAnchorsFromTheCommandLine(t *testing.T) {
	db, heads := demoFile(t)
	last := heads[len(heads)-1]
	var receipt, hash string
	raw, _ := sql.Open("sqlite", "file:"+db+"?mode=ro")
	raw.QueryRow(`SELECT p.receipt, j.hash FROM payments p JOIN journal j ON j.seq = p.seq LIMIT 1`).Scan(&receipt, &hash)
	raw.Close()
	printed := hash[0:4] + " " + hash[4:8] + " " + hash[8:12] + " " + hash[12:16]
	expect := fmt.Sprintf("%d:%s", last.Seq, last.Hash)
	if out, errs, code := runVerify("--expect", expect, db, "--receipt", receipt+":"+printed); code != 0 {
		t.Fatalf("good anchors: exit %d\n%s%s", code, out, errs)
	}
	wrong := fmt.Sprintf("%d:%s", last.Seq, strings.Repeat("0", 64))
	if out, _, code := runVerify("--expect", expect, "--expect", wrong, db); code != 1 || !strings.Contains(out, "réécrit") {
		t.Fatalf("wrong Z anchor: exit %d\n%s", code, out)
	}
	if out, _, code := runVerify("--receipt", receipt+":ffffffffffffffff", db); code != 1 || !strings.Contains(out, "empreinte imprimée") {
		t.Fatalf("wrong receipt anchor: exit %d\n%s", code, out)
	}
	if _, errs, code := runVerify("--expect", "douze", db); code != 2 || !strings.Contains(errs, "Repère") {
		t.Fatalf("unreadable anchor: exit %d %s", code, errs)
	}
}

// fakeServer serves a counter's journal heads as the server's journal
// endpoint does, to the credential cred only.
func fakeServer(t *testing.T, cred string, heads *[]protocol.JournalHead) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != protocol.PathJournal || r.Header.Get("Authorization") != "Bearer "+cred {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
		page := protocol.JournalPage{Entries: []protocol.JournalHead{}}
		for _, h := range *heads {
			page.LastSeq = h.Seq
			if h.Seq > after && len(page.Entries) < 3 { // small pages: the client must follow them
				page.Entries = append(page.Entries, h)
			}
		}
		json.NewEncoder(w).Encode(page)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestVerifyAgainstTheServersCopy compares the file with a server's copy:
// the same, one entry rewritten, and a file shorter than the server's.
func TestVerifyAgainstTheServersCopy(t *testing.T) {
	db, heads := demoFile(t)
	server := append([]protocol.JournalHead(nil), heads...)
	srv := fakeServer(t, "secret", &server)
	execSQL(t, db, fmt.Sprintf(`UPDATE sync_state SET server = '%s', credential = 'secret', acked_seq = %d`, srv.URL, len(heads)))

	if out, errs, code := runVerify("--server", db); code != 0 || !strings.Contains(out, "Copie du serveur : identique") {
		t.Fatalf("same copy: exit %d\n%s%s", code, out, errs)
	}
	server[4].Hash = strings.Repeat("b", 64)
	if out, _, code := runVerify(db, "--server", srv.URL); code != 1 || !strings.Contains(out, "première divergence avec le serveur : le serveur a l'entrée n° 5") {
		t.Fatalf("rewritten entry: exit %d\n%s", code, out)
	}
	server[4] = heads[4]
	server = append(server, protocol.JournalHead{Seq: int64(len(heads) + 1), ID: "x", Hash: strings.Repeat("c", 64)})
	if out, _, code := runVerify("--server="+srv.URL, db); code != 1 || !strings.Contains(out, "le fichier s'arrête à l'entrée n° "+strconv.Itoa(len(heads))) {
		t.Fatalf("file shorter than the server's: exit %d\n%s", code, out)
	}
	execSQL(t, db, `UPDATE sync_state SET credential = 'wrong'`)
	if _, errs, code := runVerify(db, "--server"); code != 2 || !strings.Contains(errs, "refuse") {
		t.Fatalf("refused credential: exit %d %s", code, errs)
	}
}

// TestStatus reads a demo file's state, in French and in JSON.
func TestStatus(t *testing.T) {
	db, heads := demoFile(t)
	execSQL(t, db, `UPDATE sync_state SET server = 'https://regie.example.fr', acked_seq = 3, last_sync = '2026-11-27T10:00:00.000Z'`)
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"status", "--db", db}, &out, &errb); code != 0 {
		t.Fatalf("status: %d %s", code, errb.String())
	}
	for _, want := range []string{"Poste : C01", fmt.Sprintf("Journal : %d entrées — 3 reçues par le serveur — %d en attente d'envoi", len(heads), len(heads)-3),
		"dernière synchronisation : 27/11/2026", "Vérification au démarrage : pas encore faite"} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("status lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if code := run(context.Background(), []string{"status", "--db", db, "--json"}, &out, &errb); code != 0 {
		t.Fatalf("status --json: %d %s", code, errb.String())
	}
	var r struct {
		Counter string `json:"counter"`
		Journal struct {
			LastSeq, AckedSeq int64
			Pending           int
		} `json:"journal"`
		Till struct {
			Day string `json:"day"`
		} `json:"till"`
		LastSync string `json:"last_sync"`
	}
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	if r.Counter != "C01" || r.Journal.Pending != len(heads)-3 || r.Till.Day == "" || r.LastSync == "" {
		t.Fatalf("status JSON %s", out.String())
	}
}
