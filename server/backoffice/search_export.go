package backoffice

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/regie-fr/regie/server/store"
)

// searchExport streams the CSV of a search: every matching payment, not
// a page, of the régies the visitor may see and export. The export is
// recorded in the audit trail, in its own transaction, before the first
// byte is sent: a file that left the server is always in the trail.
func (b *Backoffice) searchExport(w http.ResponseWriter, r *http.Request, v *visit) {
	scope := exportScope(v)
	sf := parseSearchForm(r.URL.Query())
	if len(sf.Problems) > 0 {
		b.fail(w, r, v, http.StatusBadRequest, "Export impossible", "L'export n'a pas été fait : "+strings.Join(sf.Problems, " "))
		return
	}
	if len(scope) == 0 {
		b.forbidden(w, r, v)
		return
	}
	if err := store.CheckPaymentFilter(sf.Filter); err != nil {
		b.storeFailure(w, r, v, "export payments", err)
		return
	}
	err := b.st.Update(r.Context(), func(tx *store.Tx) error {
		return b.audit(tx, v, "payments.export", sf.Filter.Regie, "", map[string]any{"query": sf.query().Encode(), "regies": scope})
	})
	if err != nil {
		b.internal(w, r, v, "audit export", err)
		return
	}
	name := fmt.Sprintf("paiements-%s.csv", b.cfg.Now().Format("20060102-150405"))
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	n, err := b.st.ExportPayments(r.Context(), scope, sf.Filter, w)
	if err != nil {
		// The status is sent: the file is cut short, and the log says why.
		b.log.Error("backoffice: export payments", "staff", v.staff.Login, "rows", n, "err", err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func joinComma(parts []string) string { return strings.Join(parts, ", ") }
