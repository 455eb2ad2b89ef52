package ui

import (
	"context"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/regie-fr/regie"
)

// slips records the linking-slip requests and answers them: an error
// first when offline is set.
type slips struct {
	mu      sync.Mutex
	reqs    []LinkSlipRequest
	offline bool
}

func (s *slips) ask(_ context.Context, req LinkSlipRequest) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs = append(s.reqs, req)
	if s.offline {
		return "", regie.Errorf(regie.EInternal, "Le bon de rattachement a besoin du serveur, qui ne répond pas pour l'instant.")
	}
	return "Bon de rattachement de " + req.HouseholdID + " enregistré : /tmp/bon.pdf", nil
}

// TestLinkSlipAtTheCounter: an agent picks a household, says which identity
// document was checked and ticks that it was; the slip is asked for with
// the household, the agent and the document. Offline the French reason is
// shown, and asking again reuses the request's id, so the server makes one
// slip; no slip can be asked without a household, a document or the tick.
func TestLinkSlipAtTheCounter(t *testing.T) {
	s := &slips{offline: true}
	h := newHarnessWith(t, Options{LinkSlip: s.ask})
	c := h.openTill("sbernard", "3456")
	p := c.link
	if p.btn.Visible() {
		t.Fatal("the slip is offered before a household is picked")
	}
	test.Type(c.search, "lefe")
	h.key(fyne.KeyReturn)
	if !p.btn.Visible() {
		t.Fatal("no slip button once the household is picked")
	}
	test.Tap(p.btn)
	if p.confirm == nil || !p.confirm.Disabled() {
		t.Fatal("the slip can be printed before a document is chosen")
	}
	p.doc.SetSelected("passeport")
	if !p.confirm.Disabled() {
		t.Fatal("the slip can be printed before the check is confirmed")
	}
	test.Tap(p.checked)
	if p.confirm.Disabled() {
		t.Fatal("document chosen and checked, the slip still cannot be printed")
	}
	test.Tap(p.confirm)
	h.u.Wait()
	shows(t, p.msg, "a besoin du serveur")
	if len(s.reqs) != 1 {
		t.Fatalf("%d requests", len(s.reqs))
	}
	first := s.reqs[0]
	agent := h.u.auth.Agent()
	if first.HouseholdID != c.household.ID || first.Agent != agent.ID || first.Document != "passeport" || len(first.ID) != 36 {
		t.Fatalf("request %+v (agent %s, household %s)", first, agent.ID, c.household.ID)
	}

	// Back online: the same request again, with the same id.
	s.offline = false
	test.Tap(p.btn)
	p.doc.SetSelected("passeport")
	test.Tap(p.checked)
	test.Tap(p.confirm)
	h.u.Wait()
	shows(t, p.msg, "Bon de rattachement de "+c.household.ID+" enregistré : /tmp/bon.pdf")
	if s.reqs[1].ID != first.ID {
		t.Fatalf("the retry has a new id %s, want %s", s.reqs[1].ID, first.ID)
	}
	// A new slip afterwards is a new request.
	test.Tap(p.btn)
	p.doc.SetSelected("carte d'identité")
	test.Tap(p.checked)
	test.Tap(p.confirm)
	h.u.Wait()
	if len(s.reqs) != 3 || s.reqs[2].ID == first.ID || s.reqs[2].Document != "carte d'identité" {
		t.Fatalf("third request %+v", s.reqs[2])
	}

	h.key(fyne.KeyEscape)
	if p.btn.Visible() || p.msg.Visible() {
		t.Fatal("the slip is still offered once the household is cleared")
	}
}

// TestNoLinkSlipWithoutServer: a window without the slip function never
// shows the button.
func TestNoLinkSlipWithoutServer(t *testing.T) {
	h := newHarness(t)
	c := h.openTill("sbernard", "3456")
	test.Type(c.search, "lefe")
	h.key(fyne.KeyReturn)
	if c.household == nil || c.link.btn.Visible() {
		t.Fatal("slip offered without a server to ask")
	}
}
