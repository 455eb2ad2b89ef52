package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie/server/payfip"
)

// TestSimulatorCommand runs the command on a free port and drives it with
// the real client: an order, its status before and after the payer chose
// on the page, and the notification posted to the régie.
func TestSimulatorCommand(t *testing.T) {
	notified := make(chan string, 4)
	regie := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		notified <- r.URL.Path + " " + r.PostFormValue("idop")
	}))
	defer regie.Close()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	code := make(chan int)
	go func() {
		code <- run(ctx, []string{"--addr", "127.0.0.1:0", "--notify-twice"}, pw, io.Discard)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	go io.Copy(io.Discard, pr)
	if err != nil || !strings.Contains(line, "REGIE_PAYFIP_URL=http://127.0.0.1:") {
		t.Fatalf("banner %q %v", line, err)
	}
	base := strings.TrimSpace(line[strings.Index(line, "=")+1:])
	c := payfip.NewClient(payfip.ClientConfig{BaseURL: base, Timeout: 5 * time.Second})
	idOp, err := c.Create(ctx, &payfip.CreateRequest{Exer: "2026", Mel: "helene@example.fr", Montant: 6160, Numcli: "123456",
		Objet: "FAC 2026 00101", Refdet: "FAC202600101", Saisie: "T", URLNotif: regie.URL + "/payfip/notification", URLRedirect: regie.URL + "/payfip/retour"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Detail(ctx, idOp); !errors.Is(err, payfip.ErrPending) {
		t.Fatalf("before paying: %v", err)
	}
	page, err := http.Get(c.PaymentURL(idOp))
	if err != nil || page.StatusCode != http.StatusOK {
		t.Fatalf("page: %v", err)
	}
	body, _ := io.ReadAll(page.Body)
	page.Body.Close()
	for _, want := range []string{"61,60", "Payer par carte", "Payer par prélèvement", "Refuser", "Annuler"} {
		if !strings.Contains(string(body), want) {
			t.Fatalf("page lacks %q", want)
		}
	}
	r, err := http.PostForm(base+"/paiementws.web", url.Values{"idop": {idOp}, "choix": {"prelevement"}})
	if err != nil || r.StatusCode != http.StatusOK {
		t.Fatalf("choose: %v", err)
	}
	r.Body.Close()
	for range 2 {
		select {
		case n := <-notified:
			if n != "/payfip/notification "+idOp {
				t.Fatalf("notification %q", n)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("no notification")
		}
	}
	d, err := c.Detail(ctx, idOp)
	if err != nil || d.Result != payfip.PaidDebit || d.Amount != 6160 || d.Refdet != "FAC202600101" || d.Authorisation == "" {
		t.Fatalf("detail %+v %v", d, err)
	}
	if _, err := c.Create(ctx, &payfip.CreateRequest{Refdet: "ABC"}); err == nil || !strings.Contains(err.Error(), "N1") {
		t.Fatalf("bad request: %v", err)
	}
	cancel()
	if c := <-code; c != 0 {
		t.Fatalf("exit %d", c)
	}
}
