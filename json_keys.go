package regie

import (
	"reflect"
	"strings"
	"sync"
)

// journalKeys are the JSON names of every field of the objects a journal
// records, spelled exactly. encoding/json matches keys without regard to
// case ("Tenders", "reCeipt", "ſession_id" all fill the field), but SQL's
// JSON paths and the other readers of a journal do not: an entry whose data
// says "tenders" to one reader and "Tenders" to another would be checked on
// one and shown from the other. DecodeEntry accepts only exact spellings.
var journalKeys = sync.OnceValue(func() map[string]bool {
	keys := map[string]bool{}
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map || t.Kind() == reflect.Array {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] {
			return
		}
		seen[t] = true
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" || !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			keys[name] = true
			walk(f.Type)
		}
	}
	for _, v := range []any{Payment{}, Cancellation{}, TillSession{}, Reprint{}, Login{}, Closing{}, Deposit{}, SettingsChange{}, CashVerification{}} {
		walk(reflect.TypeOf(v))
	}
	return keys
})

// inexactKey returns the first object key of data (valid JSON) that is not
// spelled exactly as a field of the journal's objects, "" when there is
// none. ModeTotals' keys are modes, checked by the decoding.
func inexactKey(data []byte) (string, bool) {
	keys := journalKeys()
	for i := 0; i < len(data); i++ {
		if data[i] != '"' {
			continue
		}
		start := i + 1
		for i++; i < len(data) && data[i] != '"'; i++ {
			if data[i] == '\\' {
				i++
			}
		}
		s := string(data[start:min(i, len(data))])
		j := i + 1
		for j < len(data) && (data[j] == ' ' || data[j] == '\t' || data[j] == '\n' || data[j] == '\r') {
			j++
		}
		if j < len(data) && data[j] == ':' && !keys[s] && !PaymentMode(s).Valid() {
			return s, true
		}
	}
	return "", false
}
