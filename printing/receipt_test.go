package printing

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
)

// receiptPDF builds the receipt d in layout l.
func receiptPDF(t testing.TB, d *ReceiptData, l Layout) []byte {
	return build(t, func(w io.Writer) error { return WriteReceiptPDF(w, d, l) })
}

var layouts = []Layout{PageA5, Ticket80}

// TestReceiptFields checks every field of the issue on both layouts:
// régie, counter and agent, number and time, household and account, each
// invoice with what was paid and what remains, each tender with its
// details, the total in figures and words, the hash and the URL.
func TestReceiptFields(t *testing.T) {
	for _, l := range layouts {
		t.Run(l.String(), func(t *testing.T) {
			text := pdfText(t, receiptPDF(t, sampleReceipt(), l))
			wantText(t, text,
				"Régie Enfance – Ville de Montaigu-sur-Loire",
				"Hôtel de ville, 1 place de la République, 49000 Montaigu-sur-Loire",
				"Guichet : Accueil mairie – guichet 1",
				"R-ENF-C01-2026-000042", "27/11/2026 à 10:42", "Sophie Bernard",
				"Lefèvre Hélène – compte F001001",
				"FAC-2026-00101", "Restauration scolaire – octobre 2026", "61,60 €",
				"FAC-2026-00102", "Accueil périscolaire – octobre 2026", "32,00 €",
				"Reste dû", "0,00 €",
				"Espèces", "50,00 €", "remis 60,00 € – rendu 10,00 €",
				"Chèque", "n° 1234567 – Crédit Agricole Anjou – tireur : Hélène Lefèvre", "43,60 €",
				"93,60 €", "quatre-vingt-treize euros et soixante centimes",
				"3f2a 9c1d 0b7e 55aa")
			url := "https://portail.montaigu-sur-loire.fr/recu/R-ENF-C01-2026-000042?h=3f2a9c1d0b7e55aa"
			wantURL(t, text, url)
			// No character fell out of the font's code page ("?").
			wantNoText(t, strings.ReplaceAll(strings.Join(strings.Fields(text), ""), url, ""), "?")
			wantNoText(t, text, "DUPLICATA", "ANNULÉ")
			// The access code links the household on the portal: a receipt,
			// which travels, never carries it.
			wantNoText(t, text, "Code d'accès", "K7Q101X")
		})
	}
}

// TestReceiptCardAndCredit covers a card payment of a catalogue item, an
// anonymous sale, and a trop-perçu accepted on an invoice whose label has
// œ and « ».
func TestReceiptCardAndCredit(t *testing.T) {
	d := sampleCardReceipt(38_00)
	d.Payment.Allocations = append(d.Payment.Allocations, regie.Allocation{InvoiceID: "i-9", InvoiceNumber: "FAC-2026-00999",
		Label: "Séjour « Cœur de Loire » – février", Amount: 20_00, Credit: 5_00})
	d.Payment.Tenders[0].Amount, d.Payment.Total = 58_00, 58_00
	d.Remaining = map[string]regie.Money{"i-9": 0}
	for _, l := range layouts {
		t.Run(l.String(), func(t *testing.T) {
			text := pdfText(t, receiptPDF(t, d, l))
			wantText(t, text, "Usager anonyme", "Carte bancaire", "497010******1234", "autorisation A12345",
				"PISC-10", "Piscine – carte 10 entrées", "Séjour « Cœur de Loire » – février",
				"trop-perçu", "5,00 €", "58,00 €", "cinquante-huit euros")
		})
	}
}

// TestReceiptAmountInWords prints receipts for the table of amounts
// and finds each spelt out, with its figures, on both layouts.
func TestReceiptAmountInWords(t *testing.T) {
	for _, tc := range []struct {
		m     regie.Money
		words string
	}{
		{1, "un centime"},
		{1_00, "un euro"},
		{21_00, "vingt et un euros"},
		{80_00, "quatre-vingts euros"},
		{1_000_00, "mille euros"},
		{1_234_567_89, "un million deux cent trente-quatre mille cinq cent soixante-sept euros et quatre-vingt-neuf centimes"},
	} {
		for _, l := range layouts {
			t.Run(tc.m.String()+" "+l.String(), func(t *testing.T) {
				text := pdfText(t, receiptPDF(t, sampleCardReceipt(tc.m), l))
				wantText(t, text, tc.m.String(), tc.words+".")
			})
		}
	}
}

// TestReceiptDuplicateAndCancelled checks the marks of a reprint and of a
// cancelled payment, with their dates and the reason.
func TestReceiptDuplicateAndCancelled(t *testing.T) {
	reprint := time.Date(2026, 11, 28, 9, 10, 0, 0, paris)
	for _, l := range layouts {
		t.Run("duplicate "+l.String(), func(t *testing.T) {
			d := sampleReceipt()
			d.Duplicate = &reprint
			text := pdfText(t, receiptPDF(t, d, l))
			wantText(t, text, "DUPLICATA", "Réimpression du 28/11/2026 à 09:10", "R-ENF-C01-2026-000042", "93,60 €")
			wantNoText(t, text, "ANNULÉ")
		})
		t.Run("cancelled "+l.String(), func(t *testing.T) {
			d := sampleReceipt()
			d.Cancelled = &regie.Cancellation{ID: "c-1", PaymentID: d.Payment.ID, Receipt: d.Payment.Receipt,
				Reason: "Erreur de saisie du montant", Comment: "montant inversé", Agent: "a-0003", ApprovedBy: "a-0001",
				At: at(11, 30), Day: "2026-11-27"}
			d.CancelledBy = "Marie Dupont"
			text := pdfText(t, receiptPDF(t, d, l))
			wantText(t, text, "ANNULÉ", "Paiement annulé le 27/11/2026 à 11:30 par Marie Dupont.",
				"Motif : Erreur de saisie du montant (montant inversé).", "Ce reçu ne vaut pas quittance.")
			wantNoText(t, text, "DUPLICATA")
		})
	}
}

// TestReceiptSameBytes makes sure a receipt printed twice is the same file:
// the portal's download is the counter's print.
func TestReceiptSameBytes(t *testing.T) {
	for _, l := range layouts {
		a, b := receiptPDF(t, sampleReceipt(), l), receiptPDF(t, sampleReceipt(), l)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two runs differ", l)
		}
	}
}

// TestReceiptLogo prints a receipt with a PNG logo, and with bytes that are
// no picture at all, which must not stop the receipt.
func TestReceiptLogo(t *testing.T) {
	logo, _, err := qrPNG("logo", 4)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"png": logo, "garbage": []byte("not a picture")} {
		t.Run(name, func(t *testing.T) {
			d := sampleReceipt()
			d.Logo = data
			wantText(t, pdfText(t, receiptPDF(t, d, PageA5)), "R-ENF-C01-2026-000042")
		})
	}
}

// TestReceiptErrors refuses what cannot be printed.
func TestReceiptErrors(t *testing.T) {
	var b bytes.Buffer
	if err := WriteReceiptPDF(&b, &ReceiptData{}, PageA5); err == nil {
		t.Error("receipt without payment printed")
	}
	if err := WriteReceiptPDF(&b, sampleReceipt(), Layout(9)); err == nil {
		t.Error("unknown layout accepted")
	}
	if err := WriteReceiptESCPOS(&b, &ReceiptData{}, ThermalOptions{}); err == nil {
		t.Error("ESC/POS receipt without payment printed")
	}
}

// TestConcurrentDocuments makes documents from several goroutines at once,
// as the server does for the portal; run with -race.
func TestConcurrentDocuments(t *testing.T) {
	want := receiptPDF(t, sampleReceipt(), PageA5)
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		go func() {
			var b bytes.Buffer
			err := WriteReceiptPDF(&b, sampleReceipt(), PageA5)
			if err == nil && !bytes.Equal(b.Bytes(), want) {
				err = errors.New("a receipt made concurrently differs")
			}
			if err == nil {
				err = WriteZReportPDF(io.Discard, sampleZReport(50, 5))
			}
			errs <- err
		}()
	}
	for i := 0; i < 8; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
