package backoffice

import (
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"html/template"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"github.com/regie-fr/regie/printing"
	"github.com/regie-fr/regie/server/store"
)

// The TOTP parameters every authenticator application understands
// (RFC 6238's defaults): 6 digits, 30-second steps, SHA-1. A code is taken
// one step either side of the server's clock, and once only: the step
// accepted is kept in the account (store.UseTOTPStep).
const (
	totpPeriod = 30
	totpSkew   = 1
)

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// newTOTPSecret draws a secret (160 bits, base32 without padding).
func newTOTPSecret() (string, error) {
	k, err := totp.Generate(totp.GenerateOpts{Issuer: "Régie", AccountName: "x", Period: totpPeriod,
		SecretSize: 20, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return "", err
	}
	return k.Secret(), nil
}

// totpStep finds the time step whose code is code, within totpSkew steps
// of now; false when there is none.
func totpStep(secret, code string, now time.Time) (int64, bool) {
	code = strings.TrimSpace(strings.ReplaceAll(code, " ", ""))
	if len(code) != 6 || secret == "" {
		return 0, false
	}
	cur := now.Unix() / totpPeriod
	found, step := false, int64(0)
	for s := cur - totpSkew; s <= cur+totpSkew; s++ {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*totpPeriod, 0), totpOpts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			found, step = true, s
		}
	}
	return step, found
}

// totpSetup is what the set-up page shows of a pending secret: the secret
// as text (grouped by four for typing), the otpauth:// address and its QR
// code as an inline PNG (the CSP allows data: images).
type totpSetup struct {
	Secret string
	URL    string
	QR     template.URL
	Action string
}

func (b *Backoffice) totpSetup(st *store.Staff, action string) (*totpSetup, error) {
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(st.TOTPPending)
	if err != nil {
		return nil, err
	}
	issuer := "Régie"
	if b.cfg.City != "" {
		issuer = "Régie " + b.cfg.City
	}
	k, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: st.Login, Period: totpPeriod,
		Secret: raw, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return nil, err
	}
	png, err := printing.QRCodePNG(k.URL(), 4)
	if err != nil {
		return nil, err
	}
	var groups []string
	for s := k.Secret(); s != ""; {
		n := min(4, len(s))
		groups, s = append(groups, s[:n]), s[n:]
	}
	return &totpSetup{Secret: strings.Join(groups, " "), URL: k.URL(), Action: action,
		QR: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))}, nil
}
