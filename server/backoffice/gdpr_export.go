package backoffice

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/regie-fr/regie/server/store"
)

// exportReadme is the archive's LISEZMOI.txt, for the person who receives
// it.
const exportReadme = `Export des données d'un foyer (RGPD, droit d'accès)

foyer.json   toutes les données du foyer détenues par la régie, au format
             décrit dans docs/export-foyer.md du logiciel Régie : le foyer et
             ses membres, ses factures, chacun de ses paiements tel que le
             journal du poste l'a enregistré (avec son annulation), son
             trop-perçu, les comptes du portail liés au foyer (qui, quand,
             comment) et les bulletins de rattachement imprimés pour lui.
recus/       le reçu de chaque paiement, en PDF, tel que le portail le donne.

Les montants sont en centimes d'euro (6160 = 61,60 €) ; les instants en UTC.
Le code d'accès au portail n'est pas exporté : c'est un secret, imprimé sur
les factures.
`

// householdExport sends a household's data and receipts as a ZIP. The
// data is read within the régies the visitor may see and export, by the
// household's id only (store.Tx.HouseholdData); the archive is made, then
// the audit entry (one per régie exported) committed, then the archive sent.
func (b *Backoffice) householdExport(w http.ResponseWriter, r *http.Request, v *visit) {
	scope := exportScope(v)
	id := r.PathValue("id")
	var d *store.HouseholdData
	err := b.st.View(r.Context(), func(tx *store.Tx) (err error) {
		d, err = tx.HouseholdData(scope, id, b.cfg.Now())
		return err
	})
	if err != nil {
		b.internal(w, r, v, "household export", err)
		return
	} else if d == nil {
		b.notFound(w, r)
		return
	}
	doc, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		b.internal(w, r, v, "household export json", err)
		return
	}
	name := "export-foyer-" + fileSafe(d.Household.Account) + "-" + b.cfg.Now().Format("20060102-150405") + ".zip"
	// The archive is made whole before anything is sent, each receipt
	// written into it as soon as rendered: a failure is a clean error page.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(file string, data []byte) error {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: file, Method: zip.Deflate, Modified: b.cfg.Now()})
		if err == nil {
			_, err = fw.Write(data)
		}
		return err
	}
	err = add("LISEZMOI.txt", []byte(exportReadme))
	if err == nil {
		err = add("foyer.json", doc)
	}
	ids, receipts := d.ExportReceipts()
	for i := 0; i < len(ids) && err == nil; i++ {
		var pdf []byte
		if pdf, err = b.receiptDoc(r, id, ids[i]); err == nil {
			err = add("recus/"+fileSafe(receipts[i])+".pdf", pdf)
		}
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		b.internal(w, r, v, "household export archive", err)
		return
	}
	err = b.st.Update(context.WithoutCancel(r.Context()), func(tx *store.Tx) error {
		for _, reg := range d.Regies {
			if err := b.audit(tx, v, "household.export", reg.Code, id, map[string]any{"file": name,
				"payments": len(d.Payments), "invoices": len(d.Invoices), "regies": len(d.Regies)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.internal(w, r, v, "audit household export", err)
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}

// fileSafe keeps a name's letters, digits, '-' and '_' (an account number
// or a receipt number in a file name).
func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, s)
}
