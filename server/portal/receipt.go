package portal

import (
	"bytes"
	"mime"
	"net/http"
	"net/url"

	"github.com/regie-fr/regie/printing"
)

// receipt sends one of the household's receipts as the A5 PDF the counter
// prints, from the same data, with the same verification QR code. A
// payment of another household is not found.
func (p *Portal) receipt(w http.ResponseWriter, r *http.Request, v *visit) {
	d, err := p.st.Receipt(r.Context(), v.current.ID, r.PathValue("id"))
	if err != nil {
		p.storeFailure(w, r, v, "receipt", err)
		return
	}
	d.VerifyURL = verifyURL(v.site.base, d.Payment.Receipt, d.Hash)
	var b bytes.Buffer
	if err := printing.WriteReceiptPDF(&b, d, printing.PageA5); err != nil {
		p.internal(w, r, v, "receipt pdf", err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", receiptDisposition(d.Payment.Receipt))
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(b.Bytes())
}

// receiptDisposition names the download after the receipt number, built
// by mime.FormatMediaType: a number is data, so whatever it holds (a
// quote, a line break, non-ASCII) is quoted or encoded (RFC 2231), never
// pasted into the header. A name it cannot encode falls back to a plain
// "recu.pdf".
func receiptDisposition(number string) string {
	if v := mime.FormatMediaType("attachment", map[string]string{"filename": number + ".pdf"}); v != "" {
		return v
	}
	return mime.FormatMediaType("attachment", map[string]string{"filename": "recu.pdf"})
}

// verifyURL is the address the receipt's QR code encodes, the same as the
// counter's: /verifier?recu=…&empreinte=<16 first hex digits of the hash>.
func verifyURL(base, receipt, hash string) string {
	if len(hash) > 16 {
		hash = hash[:16]
	}
	return base + "/verifier?recu=" + url.QueryEscape(receipt) + "&empreinte=" + hash
}
