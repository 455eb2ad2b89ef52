package portal

import (
	"net/http"
	"strings"

	"github.com/regie-fr/regie"
)

// verifyData is what the public check says: nothing but whether the
// receipt exists with that hash, and then its date, amount and régie.
type verifyData struct {
	Receipt, Hash string
	Asked         bool
	Found         *ReceiptCheck
}

// verify is the public page the receipts' QR code leads to
// (/verifier?recu=R-…&empreinte=<16 hex>). It needs no login and shows no
// personal data. The number is read in any case (people type it).
func (p *Portal) verify(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := verifyData{Receipt: strings.ToUpper(strings.TrimSpace(q.Get("recu"))), Hash: strings.ToLower(strings.TrimSpace(q.Get("empreinte")))}
	d.Hash = strings.ReplaceAll(d.Hash, " ", "")
	v := p.newView(p.visitor(r), "Vérifier un reçu", "verifier", &d)
	status := http.StatusOK
	if d.Receipt != "" || d.Hash != "" {
		d.Asked = true
		if _, _, _, _, err := regie.ParseReceiptNumber(d.Receipt); err != nil {
			v.Error = "Numéro de reçu invalide : il s'écrit R-RÉGIE-POSTE-ANNÉE-NUMÉRO, par exemple R-ENF-C01-2026-000042."
			status = http.StatusBadRequest
		} else if !hex16(d.Hash) {
			v.Error = "Empreinte invalide : saisissez les 16 caractères (chiffres et lettres a à f) imprimés sous le code QR."
			status = http.StatusBadRequest
		} else {
			found, err := p.st.VerifyReceipt(r.Context(), p.orgCode(r), d.Receipt, d.Hash)
			if err != nil {
				p.internal(w, r, nil, "verify receipt", err)
				return
			}
			d.Found = found
		}
	}
	p.render(w, status, "verify", v)
}

func hex16(s string) bool {
	if len(s) != 16 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
