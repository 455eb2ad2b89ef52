package printing

import (
	"io"
	"time"
)

// renderedDocs are the documents rendered under docs/printing.
func renderedDocs() map[string]func(io.Writer) error {
	dup := at(16, 20).Add(24 * time.Hour)
	return map[string]func(io.Writer) error{
		"receipt-a5":     func(w io.Writer) error { return WriteReceiptPDF(w, sampleReceipt(), PageA5) },
		"receipt-ticket": func(w io.Writer) error { return WriteReceiptPDF(w, sampleReceipt(), Ticket80) },
		"receipt-duplicate": func(w io.Writer) error {
			d := sampleReceipt()
			d.Duplicate = &dup
			return WriteReceiptPDF(w, d, PageA5)
		},
		"z-report":          func(w io.Writer) error { return WriteZReportPDF(w, sampleZReport(40, 6)) },
		"cheque-remittance": func(w io.Writer) error { return WriteCheckRemittancePDF(w, sampleRemittance()) },
		"deposit-slip":      func(w io.Writer) error { return WriteDepositSlipPDF(w, sampleDeposit()) },
		"monthly-statement": func(w io.Writer) error { return WriteMonthlyStatementPDF(w, sampleStatement()) },
		"link-slip":         func(w io.Writer) error { return WriteLinkSlipPDF(w, sampleLinkSlip()) },
		"cash-verification": func(w io.Writer) error { return WriteVerificationPDF(w, sampleVerificationData()) },
		"attestation":       func(w io.Writer) error { return WriteAttestationPDF(w, sampleAttestation()) },
		"invoice":           func(w io.Writer) error { return WriteInvoicePDF(w, sampleInvoice()) },
	}
}
