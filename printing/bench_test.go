package printing

import (
	"bytes"
	"io"
	"testing"

	"github.com/boombuler/barcode/qr"
)

// BenchmarkReceiptPDF is one A5 receipt with the embedded font and its QR
// code, as printed after every payment (target ≤ 2 ms).
func BenchmarkReceiptPDF(b *testing.B) {
	benchPDF(b, func(w io.Writer) error { return WriteReceiptPDF(w, sampleReceipt(), PageA5) })
}

// BenchmarkReceiptTicketPDF is the same receipt as an 80 mm PDF ticket,
// laid out twice (measure, then draw).
func BenchmarkReceiptTicketPDF(b *testing.B) {
	benchPDF(b, func(w io.Writer) error { return WriteReceiptPDF(w, sampleReceipt(), Ticket80) })
}

// BenchmarkReceiptESCPOS is the receipt for a thermal printer.
func BenchmarkReceiptESCPOS(b *testing.B) {
	benchPDF(b, func(w io.Writer) error { return WriteReceiptESCPOS(w, sampleReceipt(), ThermalOptions{}) })
}

// BenchmarkZReport5000 is the evening report of a day of 5 000 payments
// (one in ten with a cheque, 500 cheques listed) with the day's journal
// annexed: about 90 pages (target ≤ 300 ms).
func BenchmarkZReport5000(b *testing.B) {
	d := sampleZReport(5000, 500)
	benchPDF(b, func(w io.Writer) error { return WriteZReportPDF(w, d) })
}

func benchPDF(b *testing.B, write func(io.Writer) error) {
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := write(&buf); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len())/1024, "KiB/doc")
}

// BenchmarkQRCode compares our QR encoder with boombuler/barcode's on the
// sample receipt's URL (about 90 bytes, version 5), side by side.
func BenchmarkQRCode(b *testing.B) {
	url := sampleReceipt().VerifyURL
	b.Run("own", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := qrMatrix(url); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("boombuler", func(b *testing.B) {
		for b.Loop() {
			if _, err := qr.Encode(url, qr.M, qr.Unicode); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkAttestationPDF is the sample household's yearly attestation
// (4 payments, 3 modes, 2 children): one A4 page, compressed.
func BenchmarkAttestationPDF(b *testing.B) {
	benchPDF(b, func(w io.Writer) error { return WriteAttestationPDF(w, sampleAttestation()) })
}

// BenchmarkAttestation200PDF is the attestation of a busy year: 200
// payments, each split between two children's services.
func BenchmarkAttestation200PDF(b *testing.B) {
	d := sampleAttestation()
	one := d.Regies[0].Payments[0]
	ps := make([]AttestationPayment, 200)
	for i := range ps {
		ps[i] = one
		ps[i].At = one.At.AddDate(0, 0, i)
	}
	d.Regies[0].Payments = ps
	benchPDF(b, func(w io.Writer) error { return WriteAttestationPDF(w, d) })
}
