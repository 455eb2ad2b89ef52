package regie

import (
	"fmt"
	"strconv"
	"strings"
)

// ReceiptNumber formats a receipt number R-{régie}-{counter}-{yyyy}-{n:06}.
// Counters work offline, so uniqueness across the régie comes from the
// counter code, and gap-freeness from the per-counter, per-year n.
func ReceiptNumber(regie, counter string, year, n int) string {
	return fmt.Sprintf("R-%s-%s-%04d-%06d", regie, counter, year, n)
}

// ParseReceiptNumber splits a receipt number into its parts, refusing
// anything not written by ReceiptNumber.
func ParseReceiptNumber(s string) (regie, counter string, year, n int, err error) {
	parts := strings.Split(s, "-")
	bad := Errorf(EInvalid, "Numéro de reçu invalide : « %s ».", s)
	if len(parts) != 5 || parts[0] != "R" || !validCode(parts[1]) || !validCode(parts[2]) ||
		len(parts[3]) != 4 || len(parts[4]) < 6 {
		return "", "", 0, 0, bad
	}
	year, err1 := strconv.Atoi(parts[3])
	n, err2 := strconv.Atoi(parts[4])
	if err1 != nil || err2 != nil || n < 1 || year < 1 {
		return "", "", 0, 0, bad
	}
	if ReceiptNumber(parts[1], parts[2], year, n) != s {
		return "", "", 0, 0, bad
	}
	return parts[1], parts[2], year, n, nil
}
