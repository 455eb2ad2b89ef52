package publik

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/ledger"
	"github.com/regie-fr/regie/server/store"
)

// maxBody bounds a POST body.
const maxBody = 64 << 10

// payRequest is what Publik sends when one of its users has paid an
// invoice online (lingo's pay endpoint): its transaction id, the
// transaction's date and, optionally, the amount ("41.5"); without an
// amount the whole remaining amount is paid, as lingo does. order_id,
// bank_transaction_id, bank_data… are accepted and ignored.
type payRequest struct {
	TransactionID   string
	TransactionDate string
	Amount          string // as sent: a JSON string or number, or a form value
}

// readBody reads a JSON object or a form-encoded body of at most maxBody
// bytes into string fields: a JSON string or number keeps its text, so an
// amount never passes through a float. It answers the refusal itself.
func readBody(w http.ResponseWriter, r *http.Request) (map[string]string, bool) {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		fail(w, http.StatusRequestEntityTooLarge, "Corps de requête trop grand (64 Kio au plus).")
		return nil, false
	}
	out := map[string]string{}
	if len(bytes.TrimSpace(data)) == 0 {
		return out, true
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/x-www-form-urlencoded" {
		v, err := url.ParseQuery(string(data))
		if err != nil {
			fail(w, http.StatusBadRequest, "Corps de requête mal encodé.")
			return nil, false
		}
		for k, vs := range v {
			if len(vs) > 1 {
				fail(w, http.StatusBadRequest, "Le champ « "+k+" » est répété.")
				return nil, false
			}
			out[k] = vs[0]
		}
		return out, true
	}
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&raw); err != nil || dec.More() {
		fail(w, http.StatusBadRequest, "Corps de requête illisible : un objet JSON est attendu.")
		return nil, false
	}
	for k, v := range raw {
		v = bytes.TrimSpace(v)
		var s string
		switch {
		case len(v) > 0 && v[0] == '"':
			if err := json.Unmarshal(v, &s); err != nil {
				fail(w, http.StatusBadRequest, "Corps de requête illisible.")
				return nil, false
			}
		case len(v) > 0 && (v[0] == '-' || v[0] >= '0' && v[0] <= '9'):
			s = string(v)
		default:
			continue // objects, booleans, null: fields this API does not read
		}
		out[k] = s
	}
	return out, true
}

// transactionDate checks the date Publik gives its transaction: lingo's
// "2023-04-13T16:06:42" (local time), or with a zone.
func transactionDate(s string) bool {
	for _, f := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04:05.999999", time.RFC3339Nano, "2006-01-02 15:04:05", time.DateOnly} {
		if _, err := time.Parse(f, s); err == nil {
			return true
		}
	}
	return false
}

// pay records an online payment Publik has taken on an invoice, on the
// régie's online counter, through ledger.Record: its id comes from
// Publik's transaction id, so the same call sent again (a retry, a
// notification and a return) records nothing more and answers the same
// payment. An amount above what remains (the invoice paid at a counter
// meanwhile) is recorded, the excess as a credit: the citizen has paid.
func (a *API) pay(w http.ResponseWriter, r *http.Request, c *call) {
	s := a.scopeOf(w, r, c, false)
	if s == nil {
		return
	}
	body, good := readBody(w, r)
	if !good {
		return
	}
	req := payRequest{TransactionID: strings.TrimSpace(body["transaction_id"]),
		TransactionDate: strings.TrimSpace(body["transaction_date"]), Amount: strings.TrimSpace(body["amount"])}
	if req.TransactionID == "" || len(req.TransactionID) > 200 {
		fail(w, http.StatusBadRequest, "Indiquez l'identifiant de la transaction (transaction_id, 200 caractères au plus).")
		return
	}
	if req.TransactionDate != "" && !transactionDate(req.TransactionDate) {
		fail(w, http.StatusBadRequest, "Date de transaction invalide : AAAA-MM-JJTHH:MM:SS attendu.")
		return
	}
	var want regie.Money
	if req.Amount != "" {
		m, err := regie.ParseMoney(req.Amount)
		if err != nil {
			fail(w, http.StatusBadRequest, "Montant invalide : "+regie.ErrorMessage(err))
			return
		} else if m <= 0 {
			fail(w, http.StatusBadRequest, "Le montant payé doit être supérieur à zéro.")
			return
		}
		want = m
	}
	var p *regie.Payment
	err := a.st.Update(r.Context(), func(tx *store.Tx) error {
		inv, err := tx.Invoice(r.PathValue("id"))
		if err != nil {
			return err
		} else if inv == nil || inv.Regie != c.regie.Code || !s.has(inv.HouseholdID) {
			return regie.Errorf(regie.EInvoiceNotFound, "Facture introuvable.")
		}
		paid := want
		if paid == 0 {
			// No amount: what this transaction paid if it is already
			// recorded, else what remains.
			total, done, err := tx.PaymentTotal(ledger.PaymentID(c.regie.Code, ledger.SourcePublik, req.TransactionID))
			if err != nil {
				return err
			}
			paid = total
			if !done {
				paid = inv.Remaining
			}
		}
		if paid <= 0 {
			return regie.Errorf(regie.EConflict, "La facture %s est déjà réglée : rien à payer.", inv.Number)
		}
		h, err := tx.Household(inv.HouseholdID)
		if err != nil {
			return err
		} else if h == nil {
			return regie.Errorf(regie.EHouseholdNotFound, "Foyer de la facture introuvable.")
		}
		al := regie.Allocation{InvoiceID: inv.ID, InvoiceNumber: inv.Number, Label: inv.Label, Amount: paid}
		approver := ""
		if paid > inv.Remaining {
			al.Credit, approver = paid-inv.Remaining, string(ledger.SourcePublik)
		}
		p, _, err = ledger.Record(tx, ledger.Request{Regie: c.regie.Code, Channel: regie.ChannelOnline,
			Source: ledger.SourcePublik, Key: req.TransactionID, Agent: string(ledger.SourcePublik),
			HouseholdID: h.ID, Account: h.Account, Payer: h.Name,
			Tenders:     []regie.Tender{{Mode: regie.Online, Amount: paid, Reference: req.TransactionID}},
			Allocations: []regie.Allocation{al}, CreditApprovedBy: approver}, a.cfg.Now())
		return err
	})
	var re *regie.Error
	switch {
	case errors.As(err, &re):
		a.log.Info("publik: payment refused", "code", re.Code, "orig", c.q.Orig)
		a.failErr(w, "pay", err)
		return
	case err != nil:
		a.internal(w, "pay", err)
		return
	}
	ok(w, paymentJSON{ID: p.ID, DisplayID: p.Receipt, PaymentType: paymentType(modes(p)), Amount: amount(p.Total),
		Created: p.Day, HasPDF: true})
}

func modes(p *regie.Payment) []regie.PaymentMode {
	var out []regie.PaymentMode
	for _, t := range p.Tenders {
		out = append(out, t.Mode)
	}
	return out
}
