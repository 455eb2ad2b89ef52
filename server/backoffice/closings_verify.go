package backoffice

import (
	"bytes"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/printing"
	"github.com/regie-fr/regie/server/store"
)

// The procès-verbal de vérification de caisse: the form shows, per desk
// counter of the régie, what its journal says the till holds now; the
// verifier counts on the spot and the régisseur enters the counted
// amounts. The store recomputes the expected amounts when it records
// (store.Tx.RecordVerification), in the régie's journal, on its
// back-office counter.

// verifierTitles are the qualities a verifier signs under.
var verifierTitles = []string{"Comptable public", "Délégué du comptable public"}

type verificationsPage struct {
	Regies   []string
	Selected string
	// Actable are the régies where the visitor may record a procès-verbal.
	Actable []string
	Rows    []verificationLine
}

type verificationLine struct {
	store.VerificationRow
	Expected, Counted, Difference regie.Money
	CanExport                     bool
}

func (b *Backoffice) verificationsList(w http.ResponseWriter, r *http.Request, v *visit) {
	all, shown, selected := scopedRegies(r, v, PermView)
	var rows []store.VerificationRow
	err := b.st.View(r.Context(), func(tx *store.Tx) (err error) {
		rows, err = tx.Verifications(shown)
		return err
	})
	if err != nil {
		b.internal(w, r, v, "verifications", err)
		return
	}
	data := &verificationsPage{Regies: all, Selected: selected, Actable: v.Regies(PermAct)}
	for _, row := range rows {
		l := verificationLine{VerificationRow: row, CanExport: v.Can(PermExport, row.Regie)}
		l.Expected, l.Counted, l.Difference = row.Verification.Totals()
		data.Rows = append(data.Rows, l)
	}
	view := b.newView(v, "Vérifications de caisse", "clotures", data)
	if r.URL.Query().Get("enregistre") != "" {
		view.Notice = "Le procès-verbal de vérification a été enregistré dans le journal de la régie."
	}
	b.render(w, http.StatusOK, "closings_verifications", view)
}

// verificationFormData is the form: the expected amounts and what was
// typed (kept when the form is shown again with its errors).
type verificationFormData struct {
	// ID is the procès-verbal's UUID, made when the form is shown: the
	// same form sent twice records one procès-verbal.
	ID            string
	Regie         *regie.Regie
	Counters      []formCounter
	Verifier      string
	VerifierTitle string
	Titles        []string
	Regisseur     string
	Observations  string
	Errors        []string
}

type formCounter struct {
	Code, Name     string
	AsOf           int64
	ExpectedCash   regie.Money
	ExpectedChecks regie.Money
	ExpectedCount  int
	Cash, Checks   string
	CheckCount     string
	Billetage      []formDenomination
}

type formDenomination struct {
	Value regie.Money
	Label string
	Count string
}

// actRegie is the régie of ?regie= when the visitor may act on it.
func actRegie(r *http.Request, v *visit) (string, bool) {
	code := r.FormValue("regie")
	return code, code != "" && v.Can(PermAct, code)
}

func (b *Backoffice) verificationForm(w http.ResponseWriter, r *http.Request, v *visit) {
	code, ok := actRegie(r, v)
	if !ok {
		b.notFound(w, r)
		return
	}
	data, err := b.loadVerificationForm(r, code)
	if err != nil || data == nil {
		b.loadFailure(w, r, v, err)
		return
	}
	data.Regisseur, data.ID = v.staff.Name, uuid.Must(uuid.NewV7()).String()
	b.render(w, http.StatusOK, "closings_verification_form", b.newView(v, "Procès-verbal de vérification de caisse", "clotures", data))
}

func (b *Backoffice) loadFailure(w http.ResponseWriter, r *http.Request, v *visit, err error) {
	if err != nil {
		b.internal(w, r, v, "verification form", err)
		return
	}
	b.notFound(w, r)
}

// loadVerificationForm reads the régie and what each of its desk
// counters holds by its journal.
func (b *Backoffice) loadVerificationForm(r *http.Request, code string) (*verificationFormData, error) {
	data := &verificationFormData{Titles: verifierTitles, VerifierTitle: verifierTitles[0]}
	err := b.st.View(r.Context(), func(tx *store.Tx) error {
		reg, err := tx.Regie(code)
		if err != nil || reg == nil {
			return err
		}
		hs, err := tx.Holdings(code)
		if err != nil {
			return err
		}
		data.Regie = reg
		for _, h := range hs {
			fc := formCounter{Code: h.Code, Name: h.Name, AsOf: h.Holding.Seq, ExpectedCash: h.Holding.Cash,
				ExpectedChecks: regie.ChecksTotal(h.Holding.Checks), ExpectedCount: len(h.Holding.Checks)}
			for _, d := range regie.Denominations {
				kind := "Pièces de "
				if regie.IsNote(d) {
					kind = "Billets de "
				}
				fc.Billetage = append(fc.Billetage, formDenomination{Value: d, Label: kind + d.String()})
			}
			data.Counters = append(data.Counters, fc)
		}
		return nil
	})
	if err != nil || data.Regie == nil {
		return nil, err
	}
	return data, nil
}

func (b *Backoffice) verificationRecord(w http.ResponseWriter, r *http.Request, v *visit) {
	code, ok := actRegie(r, v)
	if !ok {
		b.notFound(w, r)
		return
	}
	data, err := b.loadVerificationForm(r, code)
	if err != nil || data == nil {
		b.loadFailure(w, r, v, err)
		return
	}
	pv, asOf := readVerificationForm(r, data)
	if len(data.Errors) == 0 {
		pv.ID, pv.Regie, pv.Agent = data.ID, code, v.staff.ID
		err = b.st.Update(r.Context(), func(tx *store.Tx) error {
			if done, err := tx.VerificationByID([]string{code}, pv.ID); err != nil || done != nil {
				return err // sent again: already recorded
			}
			e, err := tx.RecordVerification(pv, asOf, b.cfg.Now())
			if err != nil {
				return err
			}
			_, _, diff := pv.Totals()
			return b.audit(tx, v, "verification.record", code, pv.ID, map[string]any{"seq": e.Seq, "hash": e.Hash,
				"verifier": pv.Verifier, "difference": diff})
		})
		var re *regie.Error
		switch {
		case err == nil:
			http.Redirect(w, r, Prefix+"/verifications?regie="+code+"&enregistre=1", http.StatusSeeOther)
			return
		case errors.As(err, &re):
			data.Errors = append(data.Errors, re.Message)
			if re.Code == regie.EConflict {
				// The counters moved on: show the new expected amounts.
				if fresh, ferr := b.loadVerificationForm(r, code); ferr == nil && fresh != nil {
					for i := range data.Counters {
						if i < len(fresh.Counters) && fresh.Counters[i].Code == data.Counters[i].Code {
							c := &data.Counters[i]
							f := fresh.Counters[i]
							c.AsOf, c.ExpectedCash, c.ExpectedChecks, c.ExpectedCount = f.AsOf, f.ExpectedCash, f.ExpectedChecks, f.ExpectedCount
						}
					}
				}
			}
		default:
			b.internal(w, r, v, "record verification", err)
			return
		}
	}
	view := b.newView(v, "Procès-verbal de vérification de caisse", "clotures", data)
	view.Error = "Le procès-verbal n'a pas été enregistré : corrigez les points signalés."
	b.render(w, http.StatusBadRequest, "closings_verification_form", view)
}

// readVerificationForm reads the whole form into a procès-verbal, keeping
// what was typed in data and listing every mistake in data.Errors (in
// French); nothing is recorded unless there is none.
func readVerificationForm(r *http.Request, data *verificationFormData) (*regie.CashVerification, map[string]int64) {
	field := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	fail := func(msg string) { data.Errors = append(data.Errors, msg) }
	data.Verifier, data.VerifierTitle = field("verifier"), field("verifier_title")
	if id, err := uuid.Parse(field("id")); err == nil {
		data.ID = id.String()
	} else {
		fail("Le formulaire est incomplet : rechargez la page.")
		data.ID = uuid.Must(uuid.NewV7()).String()
	}
	data.Regisseur, data.Observations = field("regisseur"), strings.TrimSpace(r.PostFormValue("observations"))
	pv := &regie.CashVerification{Verifier: data.Verifier, VerifierTitle: data.VerifierTitle, Regisseur: data.Regisseur,
		Observations: strings.ReplaceAll(data.Observations, "\r\n", "\n")}
	if pv.Verifier == "" {
		fail("Indiquez le nom du vérificateur (le comptable public ou son délégué).")
	}
	if !slices.Contains(verifierTitles, pv.VerifierTitle) {
		fail("Choisissez la qualité du vérificateur dans la liste.")
	}
	if pv.Regisseur == "" {
		fail("Indiquez le nom du régisseur présent lors de la vérification.")
	}
	if len(pv.Verifier) > 200 || len(pv.Regisseur) > 200 || len(pv.Observations) > 4000 {
		fail("Les noms sont limités à 200 caractères, les observations à 4 000.")
	}
	asOf := map[string]int64{}
	for i := range data.Counters {
		c := &data.Counters[i]
		name := "Poste " + c.Code + " : "
		if seq, err := strconv.ParseInt(field("asof_"+c.Code), 10, 64); err == nil {
			asOf[c.Code] = seq
		} else {
			fail(name + "le formulaire est incomplet, rechargez la page.")
		}
		l := regie.VerificationLine{Counter: c.Code}
		c.Cash, c.Checks, c.CheckCount = field("cash_"+c.Code), field("checks_"+c.Code), field("nchecks_"+c.Code)
		for j := range c.Billetage {
			d := &c.Billetage[j]
			d.Count = field("b_" + c.Code + "_" + strconv.FormatInt(int64(d.Value), 10))
			if d.Count == "" || d.Count == "0" {
				continue
			}
			n, err := strconv.ParseInt(d.Count, 10, 64)
			if err != nil || n < 0 || n > 1_000_000 {
				fail(name + "le nombre de « " + strings.ToLower(d.Label[:1]) + d.Label[1:] + " » doit être un nombre entier positif.")
				continue
			}
			l.Count = append(l.Count, regie.CashLine{Value: d.Value, Count: n})
		}
		switch {
		case c.Cash == "" && len(l.Count) == 0:
			fail(name + "saisissez les espèces comptées, en total ou par billetage.")
		case c.Cash != "":
			m, err := regie.ParseMoney(c.Cash)
			if err != nil {
				fail(name + "espèces comptées : " + amountError(err))
			} else if len(l.Count) > 0 && m != l.Count.Total() {
				fail(name + "le total des espèces (" + m.String() + ") ne correspond pas au billetage (" + l.Count.Total().String() + ").")
			}
			l.CountedCash = m
		}
		if c.Checks == "" {
			fail(name + "saisissez le montant des chèques comptés (0 s'il n'y en a aucun).")
		} else if m, err := regie.ParseMoney(c.Checks); err != nil {
			fail(name + "chèques comptés : " + amountError(err))
		} else {
			l.CountedChecks = m
		}
		if c.CheckCount != "" {
			n, err := strconv.Atoi(c.CheckCount)
			if err != nil || n < 0 || n > 100_000 {
				fail(name + "le nombre de chèques doit être un nombre entier positif.")
			}
			l.CountedCount = n
		}
		pv.Lines = append(pv.Lines, l)
	}
	if len(data.Counters) == 0 {
		fail("Cette régie n'a aucun guichet à vérifier.")
	}
	return pv, asOf
}

func (b *Backoffice) verificationPDF(w http.ResponseWriter, r *http.Request, v *visit) {
	var pdf []byte
	var row *store.VerificationRow
	err := b.st.View(r.Context(), func(tx *store.Tx) (err error) {
		if row, err = tx.VerificationByID(v.Regies(PermExport), r.PathValue("id")); err != nil || row == nil {
			return err
		}
		pdf, err = verificationDoc(tx, row)
		return err
	})
	if row == nil {
		b.sendPDF(w, r, v, err, nil, "", "", "", "")
		return
	}
	pv := &row.Verification
	name := "pv-verification-" + row.Regie + "-" + pv.At.In(location("")).Format("2006-01-02-1504") + ".pdf"
	b.sendPDF(w, r, v, err, pdf, "verification.pdf", row.Regie, pv.ID, name)
}

// verificationDoc prints a recorded procès-verbal, with the régie's
// settings and the counters' names of today (the journal entry holds
// every figure and name that is signed).
func verificationDoc(tx *store.Tx, row *store.VerificationRow) ([]byte, error) {
	reg, err := tx.Regie(row.Regie)
	if err != nil || reg == nil {
		return nil, err
	}
	d := &printing.VerificationData{Issuer: printing.Issuer{Regie: *reg}, Verification: &row.Verification,
		Counters: map[string]string{}, Seq: row.Seq, Hash: row.Hash}
	cs, err := tx.Counters()
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		if c.Regie == row.Regie {
			d.Counters[c.Code] = c.Name
		}
	}
	if s, err := tx.StaffByID(row.Verification.Agent); err != nil {
		return nil, err
	} else if s != nil {
		d.RecordedBy = s.Name
	}
	var buf bytes.Buffer
	if err := printing.WriteVerificationPDF(&buf, d); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// amountError is the French message of a refused amount.
func amountError(err error) string {
	var re *regie.Error
	if errors.As(err, &re) {
		return re.Message
	}
	return "montant illisible."
}
