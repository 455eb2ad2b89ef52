package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app/ui"
	"github.com/regie-fr/regie/sync/client"
	"github.com/regie-fr/regie/sync/protocol"
)

// TestLinkSlipPrinted asks a server that follows the link-slips contract
// for a slip and finds it saved as a PDF that says the code; offline, the
// agent reads why and nothing is saved.
func TestLinkSlipPrinted(t *testing.T) {
	c, a, _ := paidCounter(t)
	ctx := context.Background()
	var got protocol.LinkSlipRequest
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != protocol.PathLinkSlips || r.Header.Get("Authorization") != "Bearer cred" {
			http.Error(w, "refusé", http.StatusUnauthorized)
			return
		}
		json.NewDecoder(r.Body).Decode(&got)
		json.NewEncoder(w).Encode(protocol.LinkSlip{ID: got.ID, HouseholdID: got.HouseholdID, Account: "F001001",
			HouseholdName: "Lefèvre Hélène", Code: "K7QM-4TWX-9HPR-2DLC", ExpiresAt: time.Now().Add(30 * 24 * time.Hour)})
	}))
	defer srv.Close()
	if err := c.SaveEnrolment(ctx, srv.URL, "cred"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	d := newDocuments(c, &ui.Config{}, dir)
	opened := ""
	d.open = func(path string) error { opened = path; return nil }
	sc := client.New(c, client.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	slip := d.linkSlips(sc)
	req := ui.LinkSlipRequest{ID: "0190a0b0-0000-7000-8000-0000000000aa", HouseholdID: "h-0001", Agent: a.Agent().ID, Document: "passeport"}
	where, err := slip(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != req.ID || got.Agent != req.Agent || got.Document != "passeport" || got.HouseholdID != "h-0001" {
		t.Fatalf("the server was asked %+v", got)
	}
	path, ok := strings.CutPrefix(where, "Bon de rattachement de Lefèvre Hélène enregistré : ")
	if !ok || opened != path {
		t.Fatalf("where %q, opened %q", where, opened)
	}
	text := pdfText(t, path)
	for _, want := range []string{"Bon de rattachement au portail", "K7QM-4TWX-9HPR-2DLC", "Lefèvre Hélène", "F001001", a.Agent().Name,
		"Connectez-vous au portail avec FranceConnect, rubrique Mes foyers, saisissez ce code."} {
		if !strings.Contains(text, want) {
			t.Errorf("slip PDF lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "€") {
		t.Errorf("the slip shows an amount:\n%s", text)
	}

	srv.Close()
	os.RemoveAll(dir)
	if _, err := slip(ctx, req); err == nil || !strings.Contains(regie.ErrorMessage(err), "a besoin du serveur") {
		t.Fatalf("offline: %v", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatal("something was saved while offline")
	}
}
