package app_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/app/demo"
)

// TestCancel annuls payments of the day and checks each refusal: a code,
// nothing journaled, no receipt number used.
func TestCancel(t *testing.T) {
	f := newFixture(t)
	reg, agent := f.regisseur(), f.mandataire()
	f.open(agent)
	p1 := f.pay(agent, cashFor("h-0001", "i-0001-1", 61_60))
	p2 := f.pay(agent, cashFor("h-0002", "i-0002-1", 61_60))
	approver, err := f.c.Approve(f.ctx, demo.RegisseurLogin, demo.RegisseurPIN)
	if err != nil {
		t.Fatal(err)
	}
	reason := regie.CancelReasons[0]
	other := regie.CancelReasons[len(regie.CancelReasons)-1]

	refusals := []struct {
		name            string
		auth, approver  *app.Auth
		payment, reason string
		comment         string
		want            regie.ErrorCode
	}{
		{"mandataire without approver", agent, nil, p1.ID, reason, "", regie.EForbidden},
		{"mandataire approved by a mandataire", agent, agent, p1.ID, reason, "", regie.EForbidden},
		{"reason not in the list", reg, nil, p1.ID, "Il a changé d'avis", "", regie.EReasonRequired},
		{"no reason", agent, approver, p1.ID, "", "", regie.EReasonRequired},
		{"other reason without comment", reg, nil, p1.ID, other, "", regie.ECommentRequired},
		{"other reason with a blank comment", agent, approver, p1.ID, other, "   ", regie.ECommentRequired},
		{"unknown payment", reg, nil, "0193a1c2-0000-7000-8000-00000000dead", reason, "", regie.EPaymentNotFound},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			f := f.on(t)
			m := f.mark()
			_, err := f.c.Cancel(f.ctx, tc.auth, tc.approver, tc.payment, tc.reason, tc.comment)
			f.refused(err, tc.want, m)
		})
	}

	var c1 *regie.Cancellation
	t.Run("mandataire approved by the régisseur", func(t *testing.T) {
		f := f.on(t)
		m := f.mark()
		c, err := f.c.Cancel(f.ctx, agent, approver, p1.ID, reason, "")
		if err != nil {
			t.Fatal(err)
		}
		c1 = c
		if c.Agent != "a-0003" || c.ApprovedBy != "a-0001" || c.PaymentID != p1.ID || c.Receipt != p1.Receipt ||
			len(c.Refunds) != 1 || c.Refunds[0].Amount != 61_60 || c.Day != p1.Day {
			t.Fatalf("cancellation %+v", c)
		}
		if e := f.lastEntry(); e.Seq != m.seq+1 || e.Kind != regie.KindCancellation || e.ID != c.ID {
			t.Fatalf("journal head %d %s %s", e.Seq, e.Kind, e.ID)
		}
		if got := f.remaining("h-0001", "i-0001-1"); got != 61_60 {
			t.Fatalf("remaining %s after cancellation, want 61,60 €", got)
		}
		p, cancel, err := f.c.Payment(f.ctx, p1.ID)
		if err != nil || cancel == nil || cancel.ID != c.ID || p.Total != 61_60 || p.Receipt != p1.Receipt {
			t.Fatalf("payment after cancellation: %+v %+v %v", p, cancel, err)
		}
		f.probe(agent, mark{seq: m.seq + 1, receipt: m.receipt})
	})
	t.Run("régisseur alone, other reason with comment", func(t *testing.T) {
		f := f.on(t)
		c, err := f.c.Cancel(f.ctx, reg, nil, p2.ID, other, "Doublon avec un virement reçu")
		if err != nil {
			t.Fatal(err)
		}
		if c.Agent != "a-0001" || c.ApprovedBy != "a-0001" || c.Comment == "" {
			t.Fatalf("cancellation %+v", c)
		}
	})
	for _, tc := range []struct {
		name, id string
		want     regie.ErrorCode
	}{
		{"cancelling twice", p1.ID, regie.EAlreadyCancelled},
		{"cancelling a cancellation", "", regie.ECancelOfCancel},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := f.on(t)
			if c1 == nil {
				t.Fatal("no cancellation to work on")
			}
			id := tc.id
			if id == "" {
				id = c1.ID
			}
			m := f.mark()
			_, err := f.c.Cancel(f.ctx, reg, nil, id, reason, "")
			f.refused(err, tc.want, m)
			f.probe(agent, m)
		})
	}

	var p3 *regie.Payment
	t.Run("after the closing", func(t *testing.T) {
		f := f.on(t)
		p3 = f.pay(agent, cashFor("h-0003", "i-0003-1", 61_60))
		f.closeExact(reg, app.ClosingRequest{})
		m := f.mark()
		_, err := f.c.Cancel(f.ctx, reg, nil, p3.ID, reason, "")
		f.refused(err, regie.EDayClosed, m)
	})
	t.Run("payment of yesterday", func(t *testing.T) {
		f := f.on(t)
		if p3 == nil {
			t.Fatal("no payment of yesterday")
		}
		f.setDay("2026-11-28")
		f.open(reg)
		m := f.mark()
		_, err := f.c.Cancel(f.ctx, reg, nil, p3.ID, reason, "")
		f.refused(err, regie.ECancelNotSameDay, m)
		f.probe(agent, m)
		if got := f.remaining("h-0003", "i-0003-1"); got != 0 {
			t.Fatalf("refused cancellation gave back %s", got)
		}
	})
}

// TestReprint prints receipts again: each duplicate is journaled, uses no
// receipt number, and a cancelled payment comes back with its cancellation.
func TestReprint(t *testing.T) {
	f := newFixture(t)
	reg, agent := f.regisseur(), f.mandataire()
	f.open(agent)
	standing := f.pay(agent, cashFor("h-0001", "i-0001-1", 61_60))
	cancelled := f.pay(agent, cashFor("h-0002", "i-0002-2", 32_00))
	c, err := f.c.Cancel(f.ctx, reg, nil, cancelled.ID, regie.CancelReasons[1], "")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name       string
		payment    *regie.Payment
		wantCancel string
	}{
		{"standing payment", standing, ""},
		{"cancelled payment", cancelled, c.ID},
		{"standing payment again", standing, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := f.on(t)
			m := f.mark()
			p, cancel, err := f.c.Reprint(f.ctx, agent, tc.payment.ID)
			if err != nil {
				t.Fatal(err)
			}
			if p.ID != tc.payment.ID || p.Receipt != tc.payment.Receipt || p.Total != tc.payment.Total {
				t.Fatalf("reprinted %+v, want %+v", p, tc.payment)
			}
			if (cancel == nil) != (tc.wantCancel == "") || cancel != nil && cancel.ID != tc.wantCancel {
				t.Fatalf("cancellation %+v, want %q", cancel, tc.wantCancel)
			}
			journal, err := f.c.DayJournal(f.ctx, f.c.Today())
			if err != nil {
				t.Fatal(err)
			}
			last := journal[len(journal)-1]
			var r regie.Reprint
			if err := json.Unmarshal(last.Data, &r); err != nil {
				t.Fatal(err)
			}
			if last.Seq != m.seq+1 || last.Kind != regie.KindReprint || r.PaymentID != p.ID || r.Receipt != p.Receipt || r.Agent != "a-0003" {
				t.Fatalf("day journal ends with %d %s %+v", last.Seq, last.Kind, r)
			}
			f.probe(agent, mark{seq: m.seq + 1, receipt: m.receipt})
		})
	}
	t.Run("unknown payment", func(t *testing.T) {
		f := f.on(t)
		m := f.mark()
		_, _, err := f.c.Reprint(f.ctx, agent, "0193a1c2-0000-7000-8000-00000000beef")
		f.refused(err, regie.EPaymentNotFound, m)
	})
}

// TestResend records a payment twice under one ID, as a counter does when
// it retries after a crash: one payment, one receipt.
func TestResend(t *testing.T) {
	f := newFixture(t)
	agent := f.mandataire()
	f.open(agent)
	req := cashOn("i-0001-1", 61_60)
	req.ID = "0193a1c2-7e3f-7000-8000-000000000001"
	first := f.pay(agent, req)
	m := f.mark()
	again := f.pay(agent, req)
	if again.ID != first.ID || again.Receipt != first.Receipt || again.Total != first.Total {
		t.Fatalf("resend gave %+v, first was %+v", again, first)
	}
	if got := f.mark(); got != m {
		t.Fatalf("resend recorded something: before %+v, after %+v", m, got)
	}
	figures, err := f.c.DayFigures(f.ctx, f.c.Today())
	if err != nil || figures.Payments != 1 || figures.Received[regie.Cash] != 61_60 {
		t.Fatalf("day figures after a resend: %+v %v", figures, err)
	}
	f.probe(agent, m)
}

// TestReceiptYear crosses New Year's Eve in Paris, where 0 h 30 on 1
// January is still 31 December in UTC: the day and the numbering follow
// the régie's time zone and start again at 1.
func TestReceiptYear(t *testing.T) {
	f := newFixture(t)
	reg := f.regisseur()
	for _, tc := range []struct {
		at       time.Time
		day      string
		receipts []string
	}{
		{time.Date(2026, 12, 31, 23, 30, 0, 0, paris), "2026-12-31", []string{"R-ENF-C01-2026-000001", "R-ENF-C01-2026-000002"}},
		{time.Date(2027, 1, 1, 0, 30, 0, 0, paris), "2027-01-01", []string{"R-ENF-C01-2027-000001", "R-ENF-C01-2027-000002"}},
	} {
		t.Run(tc.day, func(t *testing.T) {
			f := f.on(t)
			f.clock.Set(tc.at)
			if s := f.open(reg); s.Day != tc.day {
				t.Fatalf("session of %s, want %s", s.Day, tc.day)
			}
			for _, want := range tc.receipts {
				p := f.pay(reg, app.PaymentRequest{Tenders: []regie.Tender{{Mode: regie.Cash, Amount: 20}},
					Allocations: []regie.Allocation{item("PHOTOCOP", 1, 20)}})
				if p.Receipt != want || p.Day != tc.day {
					t.Fatalf("receipt %s of %s, want %s of %s", p.Receipt, p.Day, want, tc.day)
				}
			}
			if cl := f.closeExact(reg, app.ClosingRequest{}); cl.Day != tc.day || cl.Payments != 2 {
				t.Fatalf("closing of %s with %d payments", cl.Day, cl.Payments)
			}
		})
	}
}
