package store

import (
	"context"
	"encoding/csv"
	"io"
	"strings"
	"time"

	"github.com/regie-fr/regie"
)

// searchCSVHeader is the export's header, in French for the people who
// open it in a spreadsheet.
var searchCSVHeader = []string{"Date", "Heure", "Journée", "Reçu", "Régie", "Poste", "Agent", "Foyer", "Compte",
	"Payeur", "Modes", "Montant", "Factures", "Annulé", "Motif d'annulation", "Identifiant"}

// exportPage is how many rows the export reads at a time.
const exportPage = 1000

// ExportPayments writes every payment matching f in scope (not one page)
// as CSV, newest first, and says how many it wrote. The file is for a
// spreadsheet: UTF-8 with a byte order mark (without it, Excel reads
// UTF-8 as Windows-1252 and spoils the accents), ';' between fields,
// amounts as "12,50", dates and times in each régie's time zone. The rows are read page by
// page within one read transaction, so the export is one consistent state
// and never holds more than a page in memory.
func (s *Store) ExportPayments(ctx context.Context, scope []string, f PaymentFilter, w io.Writer) (int, error) {
	n := 0
	err := s.View(ctx, func(t *Tx) error {
		if _, err := buildSearch(f); err != nil {
			return err
		}
		regies, err := t.Regies()
		if err != nil {
			return err
		}
		locs := map[string]*time.Location{}
		for i := range regies {
			locs[regies[i].Code] = RegieLocation(&regies[i])
		}
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return err
		}
		cw := csv.NewWriter(w)
		cw.Comma = ';'
		if err := cw.Write(searchCSVHeader); err != nil {
			return err
		}
		cursor := ""
		for {
			page, err := t.SearchPayments(scope, f, cursor, exportPage)
			if err != nil {
				return err
			}
			for i := range page.Rows {
				loc := locs[page.Rows[i].Regie]
				if loc == nil {
					loc = RegieLocation(&regie.Regie{})
				}
				if err := cw.Write(csvRow(&page.Rows[i], loc)); err != nil {
					return err
				}
				n++
			}
			cw.Flush()
			if err := cw.Error(); err != nil {
				return err
			}
			if page.Next == "" {
				return nil
			}
			cursor = page.Next
		}
	})
	return n, err
}

func csvRow(r *PaymentRow, loc *time.Location) []string {
	at := r.At.In(loc)
	modes := make([]string, len(r.Modes))
	for i, m := range r.Modes {
		modes[i] = m.Label()
	}
	cancelled := "non"
	if r.Cancelled {
		cancelled = "oui"
	}
	return []string{at.Format("02/01/2006"), at.Format("15:04:05"), frDate(r.Day), cell(r.Receipt), cell(r.Regie),
		cell(r.Counter), cell(orID(r.AgentName, r.Agent)), cell(r.HouseholdName), cell(r.Account), cell(r.Payer),
		strings.Join(modes, " + "), r.Total.FormatPlain(), cell(strings.Join(r.Invoices, " ")), cancelled,
		cell(r.CancelReason), cell(r.ID)}
}

// cell keeps a spreadsheet from reading text as a formula: a name
// imported as "=HYPERLINK(…)" is written with a leading apostrophe, which
// spreadsheets show as text.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func orID(name, id string) string {
	if name != "" {
		return name
	}
	return id
}
