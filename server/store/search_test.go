package store

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store/storetest"
)

// searchSample records, over two régies and three counters: split
// tenders, invoices and catalogue sales, a cancellation and a reprint.
func searchSample(t *testing.T) *searchWorld {
	w := newSearchWorld(t)
	w.pay("C01", "E1", "H1", []regie.Tender{cash(10_00), check(2_50)}, inv("I1", "FAC-1", 12_50))
	w.pay("C02", "E2", "H2", []regie.Tender{card(30_00)}, inv("I2", "FAC-2", 30_00))
	w.pay("P01", "P1", "H1", []regie.Tender{card(12_50)}, inv("I3", "FAC-3", 12_50))
	w.pay("C01", "E3", "", []regie.Tender{cash(3_00)}, ticket(3_00))
	w.pay("C01", "E4", "H3", []regie.Tender{check(12_50)}, ticket(12_50))
	w.cancel("C01", "E4")
	w.reprint("C01", "E1")
	w.pay("P01", "P2", "H4", []regie.Tender{cash(5_00)}, inv("I4", "FAC-4", 5_00))
	return w
}

func ids(p *PaymentPage) []string {
	var out []string
	for _, r := range p.Rows {
		out = append(out, r.ID)
	}
	return out
}

func money(c int64) *regie.Money { m := regie.Money(c); return &m }

// TestSearchFilters: each filter alone and together, newest first, and
// the scope: a régie outside the caller's list is never found, whatever
// the filter names; an empty list finds nothing.
func TestSearchFilters(t *testing.T) {
	w := searchSample(t)
	ctx := context.Background()
	both, enf, pis := []string{"ENF", "PIS"}, []string{"ENF"}, []string{"PIS"}
	day := w.paid["E1"].Day
	cases := []struct {
		name  string
		scope []string
		f     PaymentFilter
		want  []string
	}{
		{"all", both, PaymentFilter{}, []string{"P2", "E4", "E3", "P1", "E2", "E1"}},
		{"scope ENF", enf, PaymentFilter{}, []string{"E4", "E3", "E2", "E1"}},
		{"scope PIS", pis, PaymentFilter{}, []string{"P2", "P1"}},
		{"empty scope", []string{}, PaymentFilter{}, nil},
		{"nil scope", nil, PaymentFilter{Receipt: w.paid["P1"].Receipt}, nil},
		{"régie outside the scope", enf, PaymentFilter{Regie: "PIS"}, nil},
		{"régie", both, PaymentFilter{Regie: "PIS"}, []string{"P2", "P1"}},
		{"receipt", both, PaymentFilter{Receipt: " " + strings.ToLower(w.paid["E2"].Receipt) + " "}, []string{"E2"}},
		{"receipt of another régie", enf, PaymentFilter{Receipt: w.paid["P1"].Receipt}, nil},
		{"counter", both, PaymentFilter{Counter: "C02"}, []string{"E2"}},
		{"agent", both, PaymentFilter{Agent: "ag-PIS"}, []string{"P2", "P1"}},
		{"mode check (split tender)", both, PaymentFilter{Mode: regie.Check}, []string{"E4", "E1"}},
		{"mode card", both, PaymentFilter{Mode: regie.Card}, []string{"P1", "E2"}},
		{"name folded", both, PaymentFilter{Name: "lefevre"}, []string{"P1", "E2", "E1"}},
		{"name prefix, accents and case", both, PaymentFilter{Name: "LÉF"}, []string{"P1", "E2", "E1"}},
		{"name two words", both, PaymentFilter{Name: "martin lef"}, []string{"E2"}},
		{"name apostrophe", both, PaymentFilter{Name: "d'arc"}, []string{"E4"}},
		{"name not a word start", both, PaymentFilter{Name: "fevre"}, nil},
		{"name in scope", pis, PaymentFilter{Name: "lefèvre"}, []string{"P1"}},
		{"account", both, PaymentFilter{Account: "F001"}, []string{"P1", "E1"}},
		{"account and name disagree", both, PaymentFilter{Account: "F001", Name: "martin"}, nil},
		{"invoice", both, PaymentFilter{Invoice: "FAC-2"}, []string{"E2"}},
		{"invoice of another régie", enf, PaymentFilter{Invoice: "FAC-3"}, nil},
		{"amount", both, PaymentFilter{Amount: money(12_50)}, []string{"E4", "P1", "E1"}},
		{"amount and mode", both, PaymentFilter{Amount: money(12_50), Mode: regie.Card}, []string{"P1"}},
		{"amount, no match", both, PaymentFilter{Amount: money(12_49)}, nil},
		{"cancelled", both, PaymentFilter{Cancelled: CancelledOnly}, []string{"E4"}},
		{"not cancelled", enf, PaymentFilter{Cancelled: CancelledNot}, []string{"E3", "E2", "E1"}},
		{"day range", both, PaymentFilter{From: day, To: day}, []string{"P2", "E4", "E3", "P1", "E2", "E1"}},
		{"day before", both, PaymentFilter{To: "2026-11-26"}, nil},
		{"day after", both, PaymentFilter{From: "2026-11-28"}, nil},
		{"name and day", both, PaymentFilter{Name: "lefevre", From: "2026-11-28"}, nil},
		{"receipt and amount", both, PaymentFilter{Receipt: w.paid["E1"].Receipt, Amount: money(3_00)}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			page, err := w.st.SearchPayments(ctx, c.scope, c.f, "", 50)
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(page); !slices.Equal(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
			err = w.st.View(ctx, func(tx *Tx) error {
				n, err := tx.CountPayments(c.scope, c.f, 100)
				if err == nil && n != len(c.want) {
					t.Errorf("count %d, want %d", n, len(c.want))
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
	page, err := w.st.SearchPayments(ctx, both, PaymentFilter{Receipt: w.paid["E1"].Receipt}, "", 50)
	if err != nil || len(page.Rows) != 1 {
		t.Fatal(page, err)
	}
	r := page.Rows[0]
	if r.HouseholdName != "Famille Lefèvre" || r.AgentName != "Agent Régie Enfance" || r.Total != 12_50 ||
		!slices.Equal(r.Modes, []regie.PaymentMode{regie.Cash, regie.Check}) || !slices.Equal(r.Invoices, []string{"FAC-1"}) || r.Cancelled {
		t.Errorf("row %+v", r)
	}
}

// TestSearchRefusesBadFilters: a filter that cannot mean anything is
// refused with a French sentence rather than searched.
func TestSearchRefusesBadFilters(t *testing.T) {
	w := newSearchWorld(t)
	for _, f := range []PaymentFilter{{From: "27/11/2026"}, {From: "2026-11-28", To: "2026-11-27"}, {Mode: "bitcoin"},
		{Amount: money(0)}, {Cancelled: "peut-être"}, {Name: "- ' -"}, {Name: "a b c d e f g"}, {Receipt: strings.Repeat("R", 201)}} {
		_, err := w.st.SearchPayments(context.Background(), []string{"ENF"}, f, "", 10)
		var re *regie.Error
		if !errors.As(err, &re) || re.Message == "" {
			t.Errorf("%+v: %v", f, err)
		}
	}
	for _, c := range []string{"x", "AAAA", "MjAyNi0xMS0yN1QwODowMTowMC4wMDBafA"} {
		if _, err := w.st.SearchPayments(context.Background(), []string{"ENF"}, PaymentFilter{}, c, 10); err == nil {
			t.Errorf("cursor %q taken", c)
		}
	}
}

// TestSearchPages: pages of two follow each other without a gap or a
// repeat, in the order of the whole list, across régies; payments at the
// same instant are told apart by their id.
func TestSearchPages(t *testing.T) {
	w := searchSample(t)
	base := w.at
	w.pay("C02", "S1", "", []regie.Tender{cash(1_00)}, ticket(1_00))
	w.at = base
	w.pay("P01", "S2", "", []regie.Tender{cash(1_00)}, ticket(1_00))
	w.at = base
	w.pay("C01", "S0", "", []regie.Tender{cash(1_00)}, ticket(1_00))
	ctx := context.Background()
	scope := []string{"PIS", "ENF", "ENF"}
	all, err := w.st.SearchPayments(ctx, scope, PaymentFilter{}, "", 100)
	if err != nil || all.Next != "" {
		t.Fatal(all, err)
	}
	var got []string
	cursor := ""
	for i := 0; ; i++ {
		page, err := w.st.SearchPayments(ctx, scope, PaymentFilter{}, cursor, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Rows) > 2 || i > 10 {
			t.Fatalf("page %d: %v", i, ids(page))
		}
		got = append(got, ids(page)...)
		if page.Next == "" {
			break
		}
		cursor = page.Next
	}
	if !slices.Equal(got, ids(all)) || len(got) != 9 || !slices.Equal(got[:3], []string{"S2", "S1", "S0"}) {
		t.Fatalf("pages %v, whole %v", got, ids(all))
	}
}

// TestSearchPlans: each kind of search reads payments through an index
// (SQLite's plan names no full scan of payments), so its cost does not
// grow with the other régies' payments; the benchmark gives the figures.
func TestSearchPlans(t *testing.T) {
	storetest.SQLiteOnly(t, "SQLite's query plans (EXPLAIN QUERY PLAN)")
	w := searchSample(t)
	for name, f := range map[string]PaymentFilter{"receipt": {Receipt: "R-ENF-C01-2026-000001"}, "amount": {Amount: money(12_50)},
		"name": {Name: "lefevre"}, "account": {Account: "F001"}, "invoice": {Invoice: "FAC-1"}, "none": {},
		"days and mode": {From: "2026-11-01", To: "2026-11-30", Mode: regie.Cash}} {
		q, err := buildSearch(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, walk := range []bool{false, true} {
			q.walkNames = walk
			inner, args := q.sql([]string{"ENF", "PIS"}[:1+len(name)%2], &searchKey{at: "2026-11-27T09:00:00.000Z", id: "E9"}, 51, "p.id")
			rows, err := w.st.Query(`EXPLAIN QUERY PLAN SELECT p.id FROM (`+inner+`) s CROSS JOIN payments p ON p.id = s.id`, args...)
			if err != nil {
				t.Fatal(name, err)
			}
			var plan []string
			for rows.Next() {
				var id, parent, notused int
				var detail string
				rows.Scan(&id, &parent, &notused, &detail)
				plan = append(plan, detail)
			}
			rows.Close()
			for _, line := range plan {
				if strings.HasPrefix(line, "SCAN p") || strings.HasPrefix(line, "SCAN payments") || strings.HasPrefix(line, "SCAN portal_payments") {
					t.Errorf("%s (walk %v): %q", name, walk, plan)
				}
			}
		}
	}
}
