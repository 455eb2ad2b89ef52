package store

import (
	"database/sql/driver"
	"encoding/json"
	"strings"

	"modernc.org/sqlite"

	"github.com/regie-fr/regie"
)

// regie_name_words is registered with the SQL driver for the triggers of
// migration 0009 (household_words): SQLite's own lower() knows no accent,
// and the search must fold names exactly as regie.FoldName does, the one
// folding the counter and the portal use. Every connection this process
// opens has it; a file written by another program (the sqlite3 shell)
// cannot add or rename a household, which only imports do anyway.
func init() {
	err := sqlite.RegisterDeterministicScalarFunction("regie_name_words", 1,
		func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			s, _ := args[0].(string)
			raw, err := json.Marshal(nameWords(s))
			return string(raw), err
		})
	if err != nil {
		panic(err)
	}
}

// nameWords are the distinct words of a name once folded, in order.
func nameWords(name string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, w := range strings.Fields(regie.FoldName(name)) {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// modeBits are the bits of payment_modes.modes, one per mode; the trigger
// of migration 0009 spells the same numbers.
var modeBits = map[regie.PaymentMode]int64{
	regie.Cash: 1, regie.Check: 2, regie.Card: 4, regie.Transfer: 8,
	regie.DirectDebit: 16, regie.Online: 32, regie.HolidayCheck: 64, regie.CESU: 128,
}

// modesOf is the mask of the modes a payment's tenders use.
func modesOf(ts []regie.Tender) int64 {
	var m int64
	for _, t := range ts {
		m |= modeBits[t.Mode]
	}
	return m
}
