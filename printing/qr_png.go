package printing

// QRCodePNG draws text as a QR code (level M) in a grey PNG, scale pixels
// a module, quiet zone included: for pages that show a code on screen
// (the back-office's TOTP set-up) with the receipts' encoder.
func QRCodePNG(text string, scale int) ([]byte, error) {
	png, _, err := qrPNG(text, scale)
	return png, err
}
