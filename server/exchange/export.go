package exchange

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
)

// exportHeader is the CSV export's header: one row per invoice or item a
// payment settles, and the same rows with the opposite sign for a
// cancellation, so that the finance software can sum any column.
var exportHeader = []string{"type", "date", "heure", "jour", "recu", "regie", "poste", "agent", "foyer", "compte",
	"payeur", "facture_id", "facture", "article", "libelle", "montant", "dont_trop_percu", "mode", "detail_modes",
	"total_paiement", "paiement_id", "annulation_id", "motif"}

// WriteCSV writes movements as semicolon-separated values with French
// amounts (1234,50), times in loc, in UTF-8 or, for older tools,
// Windows-1252.
func WriteCSV(w io.Writer, ms []store.Movement, loc *time.Location, encoding string) error {
	if strings.EqualFold(encoding, Encoding1252) {
		w = charmap.Windows1252.NewEncoder().Writer(w)
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	if err := cw.Write(exportHeader); err != nil {
		return err
	}
	for _, m := range ms {
		p := &m.Payment
		kind, sign, cancelID, reason := "paiement", regie.Money(1), "", ""
		if m.Cancellation != nil {
			kind, sign, cancelID, reason = "annulation", -1, m.Cancellation.ID, m.Cancellation.Reason
		}
		at := m.At.In(loc)
		mode, detail := modes(p.Tenders, sign)
		for _, a := range p.Allocations {
			row := []string{kind, at.Format("02/01/2006"), at.Format("15:04:05"), p.Day, p.Receipt, p.Regie, p.Counter,
				p.Agent, p.HouseholdID, p.Account, p.Payer, a.InvoiceID, a.InvoiceNumber, a.ItemCode, a.Label,
				(sign * a.Amount).FormatPlain(), (sign * a.Credit).FormatPlain(), mode, detail,
				(sign * p.Total).FormatPlain(), p.ID, cancelID, reason}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// modes names the payment's mode, or "mixte" with the detail for a split
// tender.
func modes(ts []regie.Tender, sign regie.Money) (string, string) {
	var parts []string
	for _, t := range ts {
		parts = append(parts, fmt.Sprintf("%s=%s", t.Mode, (sign*t.Amount).FormatPlain()))
	}
	if len(ts) == 1 {
		return string(ts[0].Mode), strings.Join(parts, "|")
	}
	return "mixte", strings.Join(parts, "|")
}

// exportMovement is one movement in the JSON export; amounts in cents.
type exportMovement struct {
	Type         string              `json:"type"`
	At           string              `json:"at"`
	Payment      *regie.Payment      `json:"payment"`
	Cancellation *regie.Cancellation `json:"cancellation,omitempty"`
}

// WriteJSON writes movements as a JSON array, each payment whole (tenders
// and allocations, amounts in cents) and each cancellation with the payment
// it cancels.
func WriteJSON(w io.Writer, ms []store.Movement) error {
	out := make([]exportMovement, len(ms))
	for i := range ms {
		m := &ms[i]
		out[i] = exportMovement{Type: string(m.Kind), At: m.At.UTC().Format(regie.TimeFormat), Payment: &m.Payment,
			Cancellation: m.Cancellation}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
