package backoffice

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/bank"
	"github.com/regie-fr/regie/server/store"
)

// The page of one bank entry: what the bank says, what became of it and,
// for a credit still waiting, the régisseur's decision — the invoices of
// one household to assign it to (one, or several with the amount of each:
// a split), or leave it as a credit to identify later.

type bankEntryPage struct {
	Entry *store.BankEntry
	// Candidates are the invoices the remittance named, as they are now.
	Candidates []store.BankInvoice
	// Query is the account or invoice number searched; Household the
	// household found (or the one the candidates all belong to) and
	// Invoices its open invoices in the régie, the rows of the form.
	Query     string
	Household *regie.Household
	Invoices  []bankInvoiceRow
	NotFound  bool
	CanAct    bool
	// DecisionID and LeaveID are the UUIDs of the two forms' decisions,
	// made when the page is shown: a form sent twice decides once.
	DecisionID, LeaveID string
	Comment             string
}

type bankInvoiceRow struct {
	store.BankInvoice
	Index int
	// Typed is the amount typed for the invoice, Credit the trop-perçu
	// box, kept when the form is shown again.
	Typed  string
	Credit bool
}

// loadBankEntry reads the entry (within scope) and what its page shows;
// nil when the entry is unknown or outside scope.
func (b *Backoffice) loadBankEntry(r *http.Request, scope []string, id, q string) (*bankEntryPage, error) {
	data := &bankEntryPage{Query: strings.TrimSpace(q)}
	err := b.st.View(r.Context(), func(tx *store.Tx) (err error) {
		if data.Entry, err = tx.BankEntryByID(scope, id); err != nil || data.Entry == nil {
			return err
		}
		code := data.Entry.Regie
		if data.Candidates, err = tx.BankInvoices(code, data.Entry.Candidates); err != nil {
			return err
		}
		household := ""
		if data.Query != "" {
			if household, err = tx.BankFindHousehold(code, data.Query); err != nil {
				return err
			}
			data.NotFound = household == ""
		} else {
			for i, c := range data.Candidates {
				if i == 0 {
					household = c.HouseholdID
				} else if c.HouseholdID != household {
					household = ""
					break
				}
			}
		}
		if household == "" {
			return nil
		}
		if data.Household, err = tx.Household(household); err != nil {
			return err
		}
		open, err := tx.BankOpenInvoices(code, household)
		for i, inv := range open {
			data.Invoices = append(data.Invoices, bankInvoiceRow{BankInvoice: inv, Index: i})
		}
		return err
	})
	if err != nil || data.Entry == nil {
		return nil, err
	}
	return data, nil
}

func (b *Backoffice) bankEntry(w http.ResponseWriter, r *http.Request, v *visit) {
	data, err := b.loadBankEntry(r, v.Regies(PermView), r.PathValue("id"), r.URL.Query().Get("q"))
	if err != nil || data == nil {
		b.loadFailure(w, r, v, err)
		return
	}
	data.CanAct, data.DecisionID, data.LeaveID = v.Can(PermAct, data.Entry.Regie), newFormID(), newFormID()
	if len(data.Invoices) == 1 && data.Invoices[0].Remaining == data.Entry.Amount {
		data.Invoices[0].Typed = data.Entry.Amount.FormatPlain()
	}
	view := b.newView(v, "Écriture bancaire du "+frDay(data.Entry.BookingDay), "banque", data)
	if r.URL.Query().Get("enregistre") != "" {
		view.Notice = "Décision enregistrée."
	}
	b.render(w, http.StatusOK, "bank_entry", view)
}

// bankAssign reads the whole form — the household's invoices with the
// amount typed for each and the trop-perçu accepted — and records the
// payment through bank.Assign; any refusal shows the page again with the
// form as typed and changes nothing.
func (b *Backoffice) bankAssign(w http.ResponseWriter, r *http.Request, v *visit) {
	scope := v.Regies(PermAct)
	household := r.PostFormValue("foyer")
	data, err := b.loadBankEntry(r, scope, r.PathValue("id"), "")
	if err != nil || data == nil {
		b.loadFailure(w, r, v, err)
		return
	}
	d := &bank.Decision{Regie: data.Entry.Regie, EntryID: data.Entry.ID, StaffID: v.staff.ID,
		Comment: strings.TrimSpace(r.PostFormValue("commentaire"))}
	var problems []string
	if id, err := uuid.Parse(r.PostFormValue("decision")); err == nil {
		d.ID = id.String()
	} else {
		problems = append(problems, "Le formulaire est incomplet : rechargez la page.")
	}
	typed := map[string]bankInvoiceRow{}
	n, _ := strconv.Atoi(r.PostFormValue("lignes"))
	for i := 0; i < n && i < 200; i++ {
		k := strconv.Itoa(i)
		row := bankInvoiceRow{Index: i, Typed: strings.TrimSpace(r.PostFormValue("montant_" + k)), Credit: r.PostFormValue("trop_"+k) != ""}
		row.ID = r.PostFormValue("facture_" + k)
		typed[row.ID] = row
		if row.Typed == "" {
			continue
		}
		m, err := regie.ParseMoney(row.Typed)
		if err != nil {
			problems = append(problems, "Ligne "+strconv.Itoa(i+1)+" : "+amountError(err))
			continue
		}
		if m > 0 {
			d.Shares = append(d.Shares, bank.Share{InvoiceID: row.ID, Amount: m, AcceptCredit: row.Credit})
		}
	}
	if len(problems) == 0 {
		var dec *store.BankDecision
		err = b.st.Update(r.Context(), func(tx *store.Tx) error {
			if done, err := tx.BankDecisionByID(d.ID); err != nil || done != nil {
				dec = done
				return err // sent again: already decided
			}
			if dec, err = bank.Assign(tx, d, b.cfg.Now()); err != nil {
				return err
			}
			invoices := make([]map[string]any, 0, len(d.Shares))
			for _, s := range d.Shares {
				invoices = append(invoices, map[string]any{"invoice": s.InvoiceID, "amount": s.Amount, "credit": s.AcceptCredit})
			}
			return b.audit(tx, v, "bank."+dec.Kind, d.Regie, data.Entry.Ref, map[string]any{"entry": data.Entry.ID,
				"receipt": dec.Receipt, "payment": dec.PaymentID, "household": dec.HouseholdID, "shares": invoices})
		})
		var re *regie.Error
		switch {
		case err == nil:
			http.Redirect(w, r, Prefix+"/banque/ecritures/"+data.Entry.ID+"?enregistre=1", http.StatusSeeOther)
			return
		case errors.As(err, &re):
			problems = append(problems, re.Message)
		default:
			b.internal(w, r, v, "bank assign", err)
			return
		}
	}
	// Shown again: the household of the form, with what was typed.
	if household != "" {
		if again, err := b.loadBankEntry(r, scope, data.Entry.ID, ""); err == nil && again != nil {
			data = again
		}
		_ = b.st.View(r.Context(), func(tx *store.Tx) error {
			h, err := tx.Household(household)
			if err != nil || h == nil {
				return err
			}
			open, err := tx.BankOpenInvoices(data.Entry.Regie, household)
			data.Household, data.Invoices = h, nil
			for i, inv := range open {
				row := bankInvoiceRow{BankInvoice: inv, Index: i}
				if t, ok := typed[inv.ID]; ok {
					row.Typed, row.Credit = t.Typed, t.Credit
				}
				data.Invoices = append(data.Invoices, row)
			}
			return err
		})
	}
	data.CanAct, data.DecisionID, data.LeaveID, data.Comment = true, d.ID, newFormID(), d.Comment
	if data.DecisionID == "" {
		data.DecisionID = newFormID()
	}
	view := b.newView(v, "Écriture bancaire du "+frDay(data.Entry.BookingDay), "banque", data)
	view.Error = "Rien n'a été enregistré : " + strings.Join(problems, " ")
	b.render(w, http.StatusBadRequest, "bank_entry", view)
}

func (b *Backoffice) bankLeave(w http.ResponseWriter, r *http.Request, v *visit) {
	data, err := b.loadBankEntry(r, v.Regies(PermAct), r.PathValue("id"), "")
	if err != nil || data == nil {
		b.loadFailure(w, r, v, err)
		return
	}
	d := &bank.Decision{Regie: data.Entry.Regie, EntryID: data.Entry.ID, StaffID: v.staff.ID,
		Comment: strings.TrimSpace(r.PostFormValue("commentaire"))}
	id, perr := uuid.Parse(r.PostFormValue("decision"))
	if perr == nil {
		d.ID = id.String()
		err = b.st.Update(r.Context(), func(tx *store.Tx) error {
			if done, err := tx.BankDecisionByID(d.ID); err != nil || done != nil {
				return err
			}
			if _, err := bank.Leave(tx, d, b.cfg.Now()); err != nil {
				return err
			}
			return b.audit(tx, v, "bank.leave", d.Regie, data.Entry.Ref, map[string]any{"entry": data.Entry.ID, "comment": d.Comment})
		})
	}
	var re *regie.Error
	switch {
	case perr == nil && err == nil:
		http.Redirect(w, r, Prefix+"/banque/ecritures/"+data.Entry.ID+"?enregistre=1", http.StatusSeeOther)
		return
	case perr != nil:
		re = regie.Errorf(regie.EInvalid, "Le formulaire est incomplet : rechargez la page.")
	case !errors.As(err, &re):
		b.internal(w, r, v, "bank leave", err)
		return
	}
	data.CanAct, data.DecisionID, data.LeaveID, data.Comment = true, newFormID(), d.ID, d.Comment
	if data.LeaveID == "" {
		data.LeaveID = newFormID()
	}
	view := b.newView(v, "Écriture bancaire du "+frDay(data.Entry.BookingDay), "banque", data)
	view.Error = "Rien n'a été enregistré : " + re.Message
	b.render(w, http.StatusBadRequest, "bank_entry", view)
}

func newFormID() string { return uuid.Must(uuid.NewV7()).String() }
