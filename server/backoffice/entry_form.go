package backoffice

import (
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
)

// The entry of a transfer or a direct debit received on the régie's
// account: the régisseur (or the suppléant) picks the household, says
// which of its invoices the money settles and how much on each, and the
// bank's details. The form carries its own UUID, made when it is shown:
// it is the payment's key at the régie's back-office counter
// (ledger.SourceBackOffice), so the same form sent twice — a reload, a
// double click, a second tab — records one payment.

// entryModes are the modes the back-office enters: money that reached the
// régie's account through the bank (the GESTION counter takes no other).
var entryModes = []regie.PaymentMode{regie.Transfer, regie.DirectDebit}

// maxValueDateAge is how far back a date of value may go: older than a
// year, it is a typing mistake, or a case for the comptable, not a form.
const maxValueDateAge = 366

// Limits of the form's free text and lines.
const (
	maxEntryText  = 140 // a bank reference, a payer's name (SEPA: 140)
	maxEntryLines = 60
)

// entryFormData is the form: the régie and the household, their invoices,
// and what was typed (kept when the form is shown again with its errors).
type entryFormData struct {
	// Key is the form's UUID, the payment's key (ledger.Request.Key).
	Key       string
	Regie     *regie.Regie
	Household *regie.Household
	Lines     []entryLine
	Modes     []option
	Mode      string
	ValueDate string
	Reference string
	Payer     string
	// Credit is the régisseur's explicit consent to a trop-perçu.
	Credit bool
	// Today is the régie's day, the date field's upper bound.
	Today  string
	Errors []string
	// recorded is the receipt of the payment already recorded under Key.
	recorded string
}

// entryLine is one invoice of the household in the régie and the amount
// typed against it.
type entryLine struct {
	Invoice store.InvoiceState
	Amount  string
	// amount is Amount read, 0 when blank.
	amount regie.Money
}

// newEntryForm is the form of a household's invoices in a régie, with a
// new key.
func newEntryForm(reg *regie.Regie, h *regie.Household, invoices []store.InvoiceState, now time.Time) *entryFormData {
	d := &entryFormData{Key: uuid.NewString(), Regie: reg, Household: h, Payer: h.Name,
		Today: regie.DayOf(now, store.RegieLocation(reg))}
	for _, m := range entryModes {
		if reg.Allows(m) {
			d.Modes = append(d.Modes, option{string(m), m.Label()})
		}
	}
	if len(d.Modes) > 0 {
		d.Mode = d.Modes[0].Value
	}
	for _, inv := range invoices {
		d.Lines = append(d.Lines, entryLine{Invoice: inv})
	}
	return d
}

// read reads the whole posted form into d, keeping what was typed and
// listing every mistake in d.Errors, in French. It checks what needs
// nothing but the form and the régie; the amounts against what remains on
// each invoice are checked in the transaction that records (settle).
func (d *entryFormData) read(form url.Values) {
	// What is typed is shown back: valid UTF-8, and no longer than any
	// field may be (a longer one is refused below, not cut silently).
	field := func(k string) string {
		v := strings.TrimSpace(form.Get(k))
		if len(v) > 4*maxEntryText {
			v = v[:4*maxEntryText]
		}
		return strings.ToValidUTF8(v, "\uFFFD")
	}
	fail := func(msg string) { d.Errors = append(d.Errors, msg) }
	if id, err := uuid.Parse(field("cle")); err == nil && id.String() == field("cle") {
		d.Key = id.String()
	} else {
		fail("Le formulaire est incomplet : rechargez la page.")
	}
	d.Mode, d.ValueDate = field("mode"), field("date_valeur")
	d.Reference, d.Payer = field("reference"), field("payeur")
	d.Credit = form.Get("trop_percu") == "1"
	mode := regie.PaymentMode(d.Mode)
	switch {
	case !mode.Valid() || !regie.ChannelBackOffice.Takes(mode):
		fail("Choisissez le mode : virement ou prélèvement.")
	case !d.Regie.Allows(mode):
		fail("Le mode « " + mode.Label() + " » n'est pas autorisé par l'acte constitutif de la régie.")
	}
	if day, msg := valueDate(d.ValueDate, d.Today); msg != "" {
		fail(msg)
	} else {
		d.ValueDate = day
	}
	if d.Reference == "" {
		fail("Indiquez la référence bancaire de l'opération (celle du relevé).")
	} else if !plainText(d.Reference) {
		fail("La référence bancaire est limitée à 140 caractères, sans retour à la ligne.")
	}
	if !plainText(d.Payer) {
		fail("Le nom du payeur est limité à 140 caractères, sans retour à la ligne.")
	}
	n := 0
	for i := range d.Lines {
		l := &d.Lines[i]
		name := "montant-" + l.Invoice.ID
		if len(form[name]) > 1 {
			fail("Facture " + l.Invoice.Number + " : un seul montant par facture.")
			continue
		}
		l.Amount = field(name)
		if l.Amount == "" {
			continue
		}
		m, err := regie.ParseMoney(l.Amount)
		switch {
		case err != nil:
			fail("Facture " + l.Invoice.Number + " : " + amountError(err))
		case m <= 0:
			fail("Facture " + l.Invoice.Number + " : le montant doit être supérieur à zéro (laissez vide pour ne pas la régler).")
		default:
			l.amount = m
			n++
		}
	}
	for k := range form {
		if strings.HasPrefix(k, "montant-") && !d.hasLine(strings.TrimPrefix(k, "montant-")) {
			fail("Une facture du formulaire n'est pas une facture de ce foyer dans cette régie : rechargez la page.")
			break
		}
	}
	if n == 0 && !d.failed("Facture ") {
		fail("Indiquez le montant réglé sur au moins une facture.")
	}
	if n > maxEntryLines {
		fail("Trop de factures dans un seul paiement.")
	}
}

func (d *entryFormData) hasLine(id string) bool {
	for _, l := range d.Lines {
		if l.Invoice.ID == id {
			return true
		}
	}
	return false
}

func (d *entryFormData) failed(prefix string) bool {
	for _, e := range d.Errors {
		if strings.HasPrefix(e, prefix) {
			return true
		}
	}
	return false
}

// Total is what the lines typed add up to.
func (d *entryFormData) Total() regie.Money {
	var t regie.Money
	for _, l := range d.Lines {
		t += l.amount
	}
	return t
}

// valueDate reads a date of value as the date field sends it (2026-12-02)
// or as people type it (02/12/2026): a real day, not after today (the
// régie's day), not more than a year before. It returns the day as
// YYYY-MM-DD, or a French message.
func valueDate(s, today string) (string, string) {
	if s == "" {
		return "", "Indiquez la date de valeur de l'opération (celle du relevé bancaire)."
	}
	var t time.Time
	var err error
	for _, layout := range []string{time.DateOnly, "02/01/2006", "2/1/2006"} {
		if t, err = time.Parse(layout, s); err == nil {
			break
		}
	}
	if err != nil {
		return "", "Date de valeur : « " + s + " » n'est pas une date (JJ/MM/AAAA)."
	}
	day := t.Format(time.DateOnly)
	now, err := time.Parse(time.DateOnly, today)
	if err != nil {
		return "", "Date de valeur : la date du jour est inconnue."
	}
	if day > today {
		return "", "La date de valeur (" + t.Format("02/01/2006") + ") est dans le futur."
	}
	if t.Before(now.AddDate(0, 0, -maxValueDateAge)) {
		return "", "La date de valeur (" + t.Format("02/01/2006") + ") a plus d'un an : vérifiez-la sur le relevé."
	}
	return day, ""
}

// plainText tells whether s is one line of readable text of at most
// maxEntryText characters.
func plainText(s string) bool {
	return utf8.ValidString(s) && utf8.RuneCountInString(s) <= maxEntryText && strings.IndexFunc(s, unicode.IsControl) < 0
}
