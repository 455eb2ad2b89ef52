package exchange

import (
	"strings"
	"time"

	"github.com/regie-fr/regie"
)

// File is one file to import: its name (for the messages), its bytes and
// its format, "csv" or "json" ("" guesses from the name).
type File struct {
	Name     string
	Data     []byte
	Format   string
	Encoding string // for CSV: auto, utf-8 or windows-1252
}

// batch is everything the files of one import bring, each record with the
// line it came from, before it is checked against the database.
type batch struct {
	households []householdRec
	members    []memberRec
	invoices   []*invoiceRec
}

type householdRec struct {
	file string
	line int
	h    regie.Household
	// withMembers: the record carries the household's whole list of members
	// (JSON); a CSV household keeps the members it has unless a members file
	// gives them.
	withMembers bool
}

type memberRec struct {
	file      string
	line      int
	household string
	m         regie.Member
}

type invoiceRec struct {
	file  string
	line  int // the invoice's first line
	regie string
	inv   regie.Invoice
	// given is the invoice amount stated by a JSON file, checked against its
	// lines; -1 when not given.
	given regie.Money
}

// parseDate reads a date as French tools write it, 27/11/2026, or as ISO,
// 2026-11-27, and gives it as ISO; "" stays "".
func parseDate(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", true
	}
	for _, layout := range []string{time.DateOnly, "02/01/2006", "2/1/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format(time.DateOnly), true
		}
	}
	return "", false
}

// parseBool reads the yes/no columns.
func parseBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "0", "non", "n", "false", "faux":
		return false, true
	case "1", "oui", "o", "true", "vrai", "x":
		return true, true
	}
	return false, false
}
