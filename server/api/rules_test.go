package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/api"
	"github.com/regie-fr/regie/server/store"
)

// base is the journal every refusal case starts from, already on the
// server: the till opened, a cash payment of an invoice, a cheque for a
// catalogue item.
func base(t testing.TB) (*book, *regie.Payment, *regie.Payment) {
	b := newBook(t, "C01")
	b.open()
	p1 := b.payment("P1", 20_00)
	b.pay(p1)
	p2 := b.payment("P2", 6_00)
	p2.Tenders = []regie.Tender{{Mode: regie.Check, Amount: 6_00, CheckNumber: "0001", Bank: "La Poste", Drawer: "Martin"}}
	p2.Allocations = []regie.Allocation{{ItemCode: "PISC", Quantity: 2, Label: "Piscine", Amount: 6_00}}
	b.pay(p2)
	return b, p1, p2
}

// TestPushRefusesEachRule pushes, for each rule, a well-chained journal
// whose last entry breaks that rule only (the entries before it are valid):
// the server answers 422 with that entry's seq and the rule's code, and
// its database is the same, byte for byte, as before the push.
func TestPushRefusesEachRule(t *testing.T) {
	b, _, _ := base(t)
	held := len(b.entries)
	pay := func(change func(b *book, p *regie.Payment)) func(b *book) {
		return func(b *book) {
			p := b.payment("PX", 10_00)
			change(b, p)
			b.pay(p)
		}
	}
	cases := []struct {
		name  string
		build func(b *book)
		code  regie.ErrorCode
	}{
		{"unknown kind", func(b *book) { b.add("bogus", "X", map[string]string{"id": "X"}) }, regie.EUnknownKind},
		{"unknown field", func(b *book) {
			b.add(regie.KindLogin, "L", map[string]any{"id": "L", "agent": "a-1", "at": b.tick(), "success": true, "admin": true})
		}, regie.EInvalid},
		{"a key spelled in another case", func(b *book) {
			p := b.payment("PX", 10_00)
			raw, _ := json.Marshal(p)
			var m map[string]any
			json.Unmarshal(raw, &m)
			m["Tenders"] = []regie.Tender{{Mode: regie.Cash, Amount: 1}}
			b.receipts++
			b.add(regie.KindPayment, p.ID, m)
		}, regie.EInvalid},
		{"object of another entry", pay(func(b *book, p *regie.Payment) { p.Agent = "a-2" }), regie.EEntryIncoherent},
		{"day not the day of at", pay(func(b *book, p *regie.Payment) { p.Day = "2026-11-26" }), regie.EEntryIncoherent},
		{"negative amount", pay(func(b *book, p *regie.Payment) {
			p.Tenders[0].Amount, p.Allocations[0].Amount, p.Total = -10_00, -10_00, -10_00
		}), regie.EAmountNotPositive},
		{"amounts that wrap around", pay(func(b *book, p *regie.Payment) {
			huge := regie.Money(1<<62 + 1<<61)
			p.Tenders = []regie.Tender{{Mode: regie.Check, Amount: huge, CheckNumber: "1", Bank: "B", Drawer: "D"},
				{Mode: regie.Check, Amount: huge, CheckNumber: "2", Bank: "B", Drawer: "D"}}
			p.Allocations = []regie.Allocation{{ItemCode: "PISC", Label: "Piscine", Amount: huge}, {ItemCode: "PISC", Label: "Piscine", Amount: huge}}
			p.Total = huge + huge // wraps to a negative total equal to both sums
		}), regie.EInvalidAmount},
		{"total not the tenders", pay(func(b *book, p *regie.Payment) { p.Total = 9_00 }), regie.ETenderMismatch},
		{"tenders not the allocations", pay(func(b *book, p *regie.Payment) { p.Allocations[0].Amount = 8_00 }), regie.ETenderMismatch},
		{"mode not allowed", pay(func(b *book, p *regie.Payment) {
			p.Tenders[0] = regie.Tender{Mode: regie.Card, Amount: 10_00, Authorisation: "123456"}
		}), regie.EModeNotAllowed},
		{"cash over the limit", pay(func(b *book, p *regie.Payment) {
			p.Tenders[0].Amount, p.Tenders[0].Tendered, p.Allocations[0].Amount, p.Total = 400_00, 400_00, 400_00, 400_00
		}), regie.ECashLimit},
		{"cheque without details", pay(func(b *book, p *regie.Payment) {
			p.Tenders[0] = regie.Tender{Mode: regie.Check, Amount: 10_00, CheckNumber: "1"}
		}), regie.ECheckDetails},
		{"change that does not add up", pay(func(b *book, p *regie.Payment) { p.Tenders[0].Tendered, p.Tenders[0].Change = 20_00, 1_00 }), regie.EInvalidAmount},
		{"nothing settled", pay(func(b *book, p *regie.Payment) { p.Allocations = nil; p.Total = 10_00 }), regie.EAllocationRequired},
		{"invoice and item on one line", pay(func(b *book, p *regie.Payment) { p.Allocations[0].ItemCode = "PISC" }), regie.EAllocationTarget},
		{"anonymous sale refused", pay(func(b *book, p *regie.Payment) {
			p.HouseholdID = ""
			p.Allocations = []regie.Allocation{{ItemCode: "PISC", Label: "Piscine", Amount: 10_00}}
		}), regie.EAnonymousRefused},
		{"receipt number with a quote", pay(func(b *book, p *regie.Payment) { p.Receipt = `R-ENF-C01-2026-000003"` }), regie.EReceiptNumber},
		{"receipt number skipped", pay(func(b *book, p *regie.Payment) { p.Receipt = regie.ReceiptNumber("ENF", "C01", 2026, 5) }), regie.EReceiptNumber},
		{"receipt number reused", pay(func(b *book, p *regie.Payment) { p.Receipt = regie.ReceiptNumber("ENF", "C01", 2026, 2) }), regie.EReceiptNumber},
		{"receipt of another counter", pay(func(b *book, p *regie.Payment) { p.Receipt = regie.ReceiptNumber("ENF", "C02", 2026, 3) }), regie.EReceiptNumber},
		{"receipt of another year", pay(func(b *book, p *regie.Payment) { p.Receipt = regie.ReceiptNumber("ENF", "C01", 2025, 1) }), regie.EReceiptNumber},
		{"payment of another régie", pay(func(b *book, p *regie.Payment) { p.Regie = "SPORT" }), regie.EReceiptNumber},
		{"no session", pay(func(b *book, p *regie.Payment) { p.SessionID = "nope" }), regie.ENoSession},
		{"unknown household", pay(func(b *book, p *regie.Payment) { p.HouseholdID = "H9" }), regie.EHouseholdNotFound},
		{"unknown invoice", pay(func(b *book, p *regie.Payment) { p.Allocations[0].InvoiceID = "I9" }), regie.EInvoiceNotFound},
		{"another household's invoice", pay(func(b *book, p *regie.Payment) {
			p.Allocations[0].InvoiceID, p.Allocations[0].InvoiceNumber = "I2", "FAC-2"
		}), regie.EHouseholdMismatch},
		{"unknown item", pay(func(b *book, p *regie.Payment) {
			p.Allocations = []regie.Allocation{{ItemCode: "NOPE", Label: "?", Amount: 10_00}}
		}), regie.EItemNotFound},
		{"dated in 2199", func(b *book) {
			b.at = time.Date(2199, 3, 1, 10, 0, 0, 0, time.UTC)
			b.add(regie.KindLogin, "L", &regie.Login{ID: "L", Agent: "a-1", Success: true, At: b.at})
		}, regie.EEntryInFuture},
		{"payment on a closed day", func(b *book) {
			b.add(regie.KindClosing, "Z", b.closing("Z"))
			b.pay(b.payment("PX", 10_00))
		}, regie.EDayClosed},
		{"closing with wrong totals", func(b *book) {
			c := b.closing("Z")
			c.Totals[regie.Cash] += 1_00
			b.add(regie.KindClosing, "Z", c)
		}, regie.EClosingUnbalanced},
		{"closing with a difference unexplained", func(b *book) {
			c := b.closing("Z")
			c.Count = append(c.Count, regie.CashLine{Value: 10_00, Count: 1})
			f, _ := b.state.DayFigures(c.Day)
			c.Compute(f, nil)
			b.add(regie.KindClosing, "Z", c)
		}, regie.ECommentRequired},
		{"closing twice", func(b *book) {
			b.add(regie.KindClosing, "Z", b.closing("Z"))
			b.add(regie.KindClosing, "Z2", b.closing("Z2"))
		}, regie.EDayClosed},
		{"cancellation of an unknown payment", func(b *book) {
			c := b.cancellation("X", &regie.Payment{ID: "nope", Receipt: "R-ENF-C01-2026-000009"})
			b.add(regie.KindCancellation, c.ID, c)
		}, regie.EPaymentNotFound},
		{"cancelled twice", func(b *book) {
			p := b.state
			q, _ := p.Payment("P1")
			b.add(regie.KindCancellation, "X1", b.cancellation("X1", q))
			b.add(regie.KindCancellation, "X2", b.cancellation("X2", q))
		}, regie.EAlreadyCancelled},
		{"cancellation another day", func(b *book) {
			q, _ := b.state.Payment("P1")
			b.at = b.at.Add(24 * time.Hour)
			b.add(regie.KindCancellation, "X", b.cancellation("X", q))
		}, regie.ECancelNotSameDay},
		{"cancellation refunding more", func(b *book) {
			q, _ := b.state.Payment("P1")
			c := b.cancellation("X", q)
			c.Refunds = []regie.Tender{{Mode: regie.Cash, Amount: 200_00}}
			b.add(regie.KindCancellation, "X", c)
		}, regie.ERefundMismatch},
		{"cancellation without a reason", func(b *book) {
			q, _ := b.state.Payment("P1")
			c := b.cancellation("X", q)
			c.Reason = "parce que"
			b.add(regie.KindCancellation, "X", c)
		}, regie.EReasonRequired},
		{"deposit total not its parts", func(b *book) {
			b.add(regie.KindDeposit, "D", &regie.Deposit{ID: "D", Counter: "C01", Agent: "a-1", At: b.tick(), Day: b.day(),
				Cash: 10_00, Checks: []regie.CheckLine{}, Total: 50_00})
		}, regie.EDepositMismatch},
		{"deposit of a cheque not held", func(b *book) {
			b.add(regie.KindDeposit, "D", &regie.Deposit{ID: "D", Counter: "C01", Agent: "a-1", At: b.tick(), Day: b.day(),
				Checks: []regie.CheckLine{{PaymentID: "P1", Tender: 0, Receipt: "R-ENF-C01-2026-000001", Amount: 20_00}}, Total: 20_00})
		}, regie.ECheckNotHeld},
		{"cheque deposited twice", func(b *book) {
			q, _ := b.state.Payment("P2")
			line := regie.CheckLine{PaymentID: "P2", Tender: 0, Receipt: q.Receipt, Number: "0001", Amount: 6_00}
			for _, id := range []string{"D1", "D2"} {
				b.add(regie.KindDeposit, id, &regie.Deposit{ID: id, Counter: "C01", Agent: "a-1", At: b.tick(), Day: b.day(),
					Checks: []regie.CheckLine{line}, Total: 6_00})
			}
		}, regie.ECheckNotHeld},
		{"cancellation of a deposited cheque", func(b *book) {
			q, _ := b.state.Payment("P2")
			b.add(regie.KindDeposit, "D", &regie.Deposit{ID: "D", Counter: "C01", Agent: "a-1", At: b.tick(), Day: b.day(),
				Checks: []regie.CheckLine{{PaymentID: "P2", Tender: 0, Receipt: q.Receipt, Number: "0001", Amount: 6_00}}, Total: 6_00})
			b.add(regie.KindCancellation, "X", b.cancellation("X", q))
		}, regie.ECheckDeposited},
		{"negative float", func(b *book) {
			s := &regie.TillSession{ID: "S2", Counter: "C01", Agent: "a-1", OpenedAt: b.tick(), Day: b.day(), Float: -5_00}
			b.add(regie.KindSessionOpen, s.ID, s)
		}, regie.EInvalidAmount},
		{"reprint of an unknown payment", func(b *book) {
			b.add(regie.KindReprint, "RP", &regie.Reprint{ID: "RP", PaymentID: "nope", Receipt: "R", Agent: "a-1", At: b.tick()})
		}, regie.EPaymentNotFound},
		{"settings of another régie", func(b *book) {
			b.add(regie.KindSettings, "ST", &regie.SettingsChange{ID: "ST", At: b.tick(),
				Settings: regie.Regie{Code: "SPORT", Name: "Sport", Modes: []regie.PaymentMode{regie.Cash}}})
		}, regie.EEntryIncoherent},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, api.Options{Now: func() time.Time { return day0.Add(72 * time.Hour) }})
			e.seedReference()
			b, _, _ := base(t)
			if status, body := e.pushEntries("C01", b.entries); status != http.StatusOK {
				t.Fatalf("valid journal refused: %d %+v", status, body)
			}
			before := dump(t, e.st)
			tc.build(b)
			es := b.entries[held:]
			status, body := e.pushEntries("C01", es)
			last := es[len(es)-1].Seq
			if status != http.StatusUnprocessableEntity || body.Code != string(tc.code) || body.Seq != last {
				t.Fatalf("got %d %+v, want 422 %s at entry %d", status, body, tc.code, last)
			}
			if body.LastSeq != int64(held) || !strings.Contains(body.Message, "refusée") {
				t.Errorf("body %+v: last_seq want %d and a French message", body, held)
			}
			if after := dump(t, e.st); after != before {
				t.Fatalf("the database changed:\n%s\nthen\n%s", before, after)
			}
			var code string
			if err := e.st.QueryRow(`SELECT code FROM sync_refusals ORDER BY id DESC LIMIT 1`).Scan(&code); err != nil || code != string(tc.code) {
				t.Errorf("refusal recorded as %q (%v), want %s", code, err, tc.code)
			}
			// The valid entries before the broken one are accepted alone.
			if len(es) > 1 {
				if status, body := e.pushEntries("C01", es[:len(es)-1]); status != http.StatusOK {
					t.Fatalf("valid prefix refused: %d %+v", status, body)
				}
			}
		})
	}
}

// TestPaymentUnderEarlierSettingsIsKept: a counter offline cashes in cash;
// meanwhile the régie stops taking cash. The payment was valid under the
// settings the counter had, so it is kept, and verify accepts it; a mode
// the régie never allowed is still refused.
func TestPaymentUnderEarlierSettingsIsKept(t *testing.T) {
	e := newEnv(t, api.Options{Now: func() time.Time { return day0.Add(72 * time.Hour) }})
	e.seedReference()
	err := e.st.Update(context.Background(), func(tx *store.Tx) error {
		r, err := tx.Regie("ENF")
		if err != nil {
			return err
		}
		r.Modes, r.CashLimit = []regie.PaymentMode{regie.Check, regie.Transfer}, 5_00
		return tx.SaveRegie(r, false)
	})
	if err != nil {
		t.Fatal(err)
	}
	b, _, _ := base(t)
	if status, body := e.pushEntries("C01", b.entries); status != http.StatusOK {
		t.Fatalf("payments valid under the earlier settings refused: %d %+v", status, body)
	}
	reports, err := e.st.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reports {
		if !r.OK() {
			t.Fatalf("verify: %s", r)
		}
	}
	p := b.payment("PX", 10_00)
	p.Tenders[0] = regie.Tender{Mode: regie.Card, Amount: 10_00, Authorisation: "1"}
	b.pay(p)
	if status, body := e.pushEntries("C01", b.entries[len(b.entries)-1:]); status != http.StatusUnprocessableEntity || body.Code != string(regie.EModeNotAllowed) {
		t.Fatalf("a mode never allowed: %d %+v", status, body)
	}
}
