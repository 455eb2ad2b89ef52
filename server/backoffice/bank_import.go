package backoffice

import (
	"errors"
	"io"
	"net/http"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/bank"
	"github.com/regie-fr/regie/server/store"
)

// bankImportPattern is the import's route: its form carries a file, so its
// body may be larger than other forms' (formLimit).
const bankImportPattern = "POST " + Prefix + "/banque/releves"

// maxStatementBytes bounds an uploaded statement: a year of a régie's
// account in camt.053 is far below.
const maxStatementBytes = 4 << 20

// formLimit is how large a form's body may be: 64 KiB, but for the upload
// of a bank statement, whose handler refuses more than maxStatementBytes
// with its own message (a body beyond this bound cannot even be read for
// its CSRF token, and gets the expired form's answer).
func formLimit(r *http.Request) int64 {
	if r.Pattern == bankImportPattern {
		return 4 * maxStatementBytes
	}
	return 64 << 10
}

type bankListPage struct {
	Regies   []string
	Selected string
	Actable  []string
	Rows     []store.BankStatementRow
	Pending  int
}

func (b *Backoffice) bankList(w http.ResponseWriter, r *http.Request, v *visit) {
	all, shown, selected := scopedRegies(r, v, PermView)
	data := &bankListPage{Regies: all, Selected: selected, Actable: v.Regies(PermAct)}
	err := b.st.View(r.Context(), func(tx *store.Tx) (err error) {
		if data.Rows, err = tx.BankStatements(shown); err != nil {
			return err
		}
		pending, err := tx.BankPending(shown)
		data.Pending = len(pending)
		return err
	})
	if err != nil {
		b.internal(w, r, v, "bank statements", err)
		return
	}
	b.render(w, http.StatusOK, "bank_list", b.newView(v, "Relevés bancaires", "banque", data))
}

type bankImportPage struct {
	Regie    string
	Filename string
	Report   *bank.Report
}

// bankImport reads the uploaded statement whole, then records it in one
// transaction with its audit entry; a refused file writes nothing and is
// answered with the parser's French sentence.
func (b *Backoffice) bankImport(w http.ResponseWriter, r *http.Request, v *visit) {
	code, ok := actRegie(r, v)
	if !ok {
		b.notFound(w, r)
		return
	}
	refuse := func(msg string) {
		view := b.newView(v, "Relevés bancaires", "banque", &bankListPage{Actable: v.Regies(PermAct)})
		view.Error = msg
		b.render(w, http.StatusBadRequest, "bank_list", view)
	}
	f, hdr, err := r.FormFile("releve")
	if err != nil {
		refuse("Choisissez le fichier du relevé (camt.053 ou CSV).")
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxStatementBytes+1))
	if err != nil {
		b.internal(w, r, v, "read statement", err)
		return
	}
	if len(data) > maxStatementBytes {
		refuse("Le relevé dépasse 4 Mo : découpez-le par période.")
		return
	}
	s, err := bank.Parse(data)
	var pe *bank.Error
	if errors.As(err, &pe) {
		refuse("Relevé refusé, rien n'a été enregistré : " + pe.Message)
		return
	} else if err != nil {
		b.internal(w, r, v, "parse statement", err)
		return
	}
	var rep *bank.Report
	err = b.st.Update(r.Context(), func(tx *store.Tx) (err error) {
		rep, err = bank.Record(tx, &bank.Import{Regie: code, StaffID: v.staff.ID, Filename: hdr.Filename, Data: data, Statement: s}, b.cfg.Now())
		if err != nil || rep.StatementID == "" {
			return err // nothing new: nothing written, nothing to audit
		}
		return b.audit(tx, v, "bank.import", code, rep.StatementID, map[string]any{"iban": rep.IBAN, "format": s.Format,
			"file": hdr.Filename, "entries": len(rep.Lines), "added": rep.Added, "known": rep.Known, "matched": rep.Matched,
			"ambiguous": rep.Ambiguous, "unmatched": rep.Unmatched})
	})
	var re *regie.Error
	if errors.As(err, &re) {
		refuse("Relevé refusé, rien n'a été enregistré : " + re.Message)
		return
	} else if err != nil {
		b.internal(w, r, v, "import statement", err)
		return
	}
	view := b.newView(v, "Relevé importé", "banque", &bankImportPage{Regie: code, Filename: hdr.Filename, Report: rep})
	if rep.StatementID == "" {
		view.Notice = "Toutes les écritures de ce relevé étaient déjà importées : rien n'a changé."
	} else {
		view.Notice = "Relevé importé."
	}
	b.render(w, http.StatusOK, "bank_import", view)
}

type bankStatementPage struct {
	Statement *store.BankStatement
	Entries   []store.BankEntry
	CanAct    bool
}

func (b *Backoffice) bankStatement(w http.ResponseWriter, r *http.Request, v *visit) {
	data := &bankStatementPage{}
	err := b.st.View(r.Context(), func(tx *store.Tx) (err error) {
		scope := v.Regies(PermView)
		if data.Statement, err = tx.BankStatementByID(scope, r.PathValue("id")); err != nil || data.Statement == nil {
			return err
		}
		data.Entries, err = tx.BankEntriesOf(scope, data.Statement.ID)
		return err
	})
	if err != nil {
		b.internal(w, r, v, "bank statement", err)
		return
	}
	if data.Statement == nil {
		b.notFound(w, r)
		return
	}
	data.CanAct = v.Can(PermAct, data.Statement.Regie)
	b.render(w, http.StatusOK, "bank_statement", b.newView(v, "Relevé du "+frDay(data.Statement.From)+" au "+frDay(data.Statement.To), "banque", data))
}

type bankPendingPage struct {
	Regies   []string
	Selected string
	Entries  []store.BankEntry
}

func (b *Backoffice) bankPending(w http.ResponseWriter, r *http.Request, v *visit) {
	all, shown, selected := scopedRegies(r, v, PermView)
	data := &bankPendingPage{Regies: all, Selected: selected}
	err := b.st.View(r.Context(), func(tx *store.Tx) (err error) {
		data.Entries, err = tx.BankPending(shown)
		return err
	})
	if err != nil {
		b.internal(w, r, v, "bank pending", err)
		return
	}
	b.render(w, http.StatusOK, "bank_pending", b.newView(v, "Crédits à identifier", "banque", data))
}
