package portal

import (
	"bytes"
	"context"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/regie-fr/regie/printing"
)

// AttestationStore is what the yearly attestations read. Both answer only
// within the household, which the portal has checked is linked.
type AttestationStore interface {
	// AttestationYears lists the years in which the household has a
	// payment that was not cancelled, latest first.
	AttestationYears(ctx context.Context, householdID string) ([]int, error)
	// Attestation gathers the household's payments of a year, cancelled
	// ones left out, every counter and mode alike; nil when there is none.
	// City, Issued and VerifyURL are the portal's to fill.
	Attestation(ctx context.Context, householdID string, year int) (*printing.AttestationData, error)
}

// attestationsData is the Attestations page: the years to download, and
// the current one, whose attestation is provisional.
type attestationsData struct {
	Years   []int
	Current int
}

// attestations lists the years the household paid in, each with its
// attestation de paiement to download.
func (p *Portal) attestations(w http.ResponseWriter, r *http.Request, v *visit) {
	years, err := p.st.AttestationYears(r.Context(), v.current.ID)
	if err != nil {
		p.internal(w, r, v, "attestation years", err)
		return
	}
	p.render(w, http.StatusOK, "attestations", p.newView(v, "Attestations de paiement", "attestations",
		&attestationsData{Years: years, Current: p.cfg.Now().Year()}))
}

// attestation sends a year's attestation de paiement as a PDF. A year
// without payments, or an address that is not a year, is not found.
func (p *Portal) attestation(w http.ResponseWriter, r *http.Request, v *visit) {
	year, ok := attestationYear(r.PathValue("file"))
	if !ok {
		p.notFound(w, r)
		return
	}
	d, err := p.st.Attestation(r.Context(), v.current.ID, year)
	if err != nil {
		p.internal(w, r, v, "attestation", err)
		return
	} else if d == nil {
		p.notFound(w, r)
		return
	}
	d.City, d.Issued, d.VerifyURL = v.site.city, p.cfg.Now(), v.site.base+"/verifier"
	var b bytes.Buffer
	if err := printing.WriteAttestationPDF(&b, d); err != nil {
		p.internal(w, r, v, "attestation pdf", err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment",
		map[string]string{"filename": "attestation-paiement-" + strconv.Itoa(year) + ".pdf"}))
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(b.Bytes())
}

// attestationYear reads an attestation's file name, "2026.pdf": a year
// parseYear accepts, written plainly (no sign, no leading zero).
func attestationYear(file string) (int, bool) {
	name, ok := strings.CutSuffix(file, ".pdf")
	year, valid := parseYear(name)
	if !ok || !valid || year == 0 || strconv.Itoa(year) != name {
		return 0, false
	}
	return year, true
}
