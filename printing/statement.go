package printing

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"

	"github.com/regie-fr/regie"
)

// WriteMonthlyStatementPDF writes the month's statement (état mensuel des
// encaissements) on A4 landscape: one line per daily closing with its
// totals per mode and its cash difference, the month's totals per mode, and
// the perpetual totals at the last closing of each counter. It adds up the
// closings only (regie.SumClosings), so the month always agrees with the
// days it is made of. A closing of another month is refused.
func WriteMonthlyStatementPDF(w io.Writer, d *MonthlyStatementData) error {
	prefix := fmt.Sprintf("%04d-%02d-", d.Year, int(d.Month))
	cs := make([]regie.Closing, len(d.Closings))
	copy(cs, d.Closings)
	for _, c := range cs {
		if len(c.Day) != 10 || c.Day[:8] != prefix {
			return fmt.Errorf("printing: monthly statement: closing of %s is not in %s", c.Day, prefix[:7])
		}
	}
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].Day != cs[j].Day {
			return cs[i].Day < cs[j].Day
		}
		return cs[i].Counter < cs[j].Counter
	})
	month := frMonth(d.Year, d.Month)
	title := "État mensuel des encaissements – " + month
	created := timeOfLast(cs)
	doc := newDoc("L", sizeA4, 12, title, created)
	doc.footer(d.Regie.Name + " – " + title)
	doc.pdf.AddPage()
	doc.letterhead(&d.Issuer, title, "Arrêtés de caisse quotidiens pris en compte : "+strconv.Itoa(len(cs)))

	month1 := regie.SumClosings(cs)
	grand := lastGrandTotals(cs)
	modes := modesOf(month1, grand)
	cols := []column{{"Jour", 30, "L"}, {"Guichet", 16, "C"}, {"Paiements", 20, "R"}, {"Annulations", 22, "R"}}
	rest := doc.contentWidth() - 88
	mw := rest / float64(len(modes)+2)
	for _, m := range modes {
		cols = append(cols, column{m.Label(), mw, "R"})
	}
	cols = append(cols, column{"Total", mw, "R"}, column{"Écart de caisse", mw, "R"})
	t := doc.newTable(8, 3.6, cols...)
	t.header()
	var payments, cancels int
	var diff regie.Money
	for i := range cs {
		c := &cs[i]
		row := []string{frWeekDay(c.Day), c.Counter, strconv.Itoa(c.Payments), strconv.Itoa(c.Cancellations)}
		for _, m := range modes {
			row = append(row, c.Totals[m].String())
		}
		row = append(row, c.Totals.Total().String(), c.Difference.String())
		t.row(row...)
		payments += c.Payments
		cancels += c.Cancellations
		diff += c.Difference
	}
	row := []string{"Total du mois", "", strconv.Itoa(payments), strconv.Itoa(cancels)}
	for _, m := range modes {
		row = append(row, month1[m].String())
	}
	t.total(append(row, month1.Total().String(), diff.String())...)
	row = []string{"Cumul perpétuel au dernier arrêté", "", "", ""}
	for _, m := range modes {
		row = append(row, grand[m].String())
	}
	t.total(append(row, grand.Total().String(), "")...)

	amountInWords(doc, "Arrêté le présent état", month1.Total())
	doc.signatures(22, "Le régisseur titulaire ou son suppléant\nDate et signature",
		"Visa de l'ordonnateur ou du comptable public\nDate et signature")
	return doc.write(w, "monthly statement")
}

// lastGrandTotals adds, over counters, the perpetual totals of each
// counter's last closing of the month (cs sorted by day).
func lastGrandTotals(cs []regie.Closing) regie.ModeTotals {
	last := map[string]regie.ModeTotals{}
	for _, c := range cs {
		last[c.Counter] = c.GrandTotals
	}
	out := regie.ModeTotals{}
	for _, g := range last {
		out = out.Add(g)
	}
	return out
}

// timeOfLast is the time of the last closing, the statement's own date, so
// that printing it twice gives the same bytes.
func timeOfLast(cs []regie.Closing) (t time.Time) {
	for _, c := range cs {
		if c.At.After(t) {
			t = c.At
		}
	}
	return t
}
