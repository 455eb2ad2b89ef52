package store

import (
	"bytes"
	"fmt"
	"strings"
)

// The comparison of a file's rows with the rebuilt ones walks both in key
// order: it must order values as SQLite's ORDER BY does, and tell values
// apart by storage class as well as by value.

func compareKeys(t table, a, b []any) int {
	for _, k := range t.key {
		if c := compareValues(a[k], b[k]); c != 0 {
			return c
		}
	}
	return 0
}

// rank orders SQLite's storage classes as ORDER BY does: NULL, numbers,
// text, blobs.
func rank(v any) int {
	switch v.(type) {
	case nil:
		return 0
	case int64, float64:
		return 1
	case string:
		return 2
	default:
		return 3
	}
}

// compareValues orders two values as SQLite's ORDER BY with the BINARY
// collation does, so that both sides of the merge agree.
func compareValues(a, b any) int {
	ra, rb := rank(a), rank(b)
	if ra != rb {
		return ra - rb
	}
	switch x := a.(type) {
	case int64:
		return compareNumbers(float64(x), x, b)
	case float64:
		return compareNumbers(x, 0, b)
	case string:
		return strings.Compare(x, b.(string))
	case []byte:
		return bytes.Compare(x, b.([]byte))
	}
	return 0
}

func compareNumbers(af float64, ai int64, b any) int {
	if bi, ok := b.(int64); ok && af == float64(ai) {
		switch {
		case ai < bi:
			return -1
		case ai > bi:
			return 1
		}
		return 0
	}
	bf, _ := b.(float64)
	if bi, ok := b.(int64); ok {
		bf = float64(bi)
	}
	switch {
	case af < bf:
		return -1
	case af > bf:
		return 1
	}
	return 0
}

// sameValue is equality of value and storage class: 1000 and '1000' differ,
// for the counter would read them differently in some query.
func sameValue(a, b any) bool {
	if rank(a) != rank(b) {
		return false
	}
	switch x := a.(type) {
	case []byte:
		return bytes.Equal(x, b.([]byte))
	case int64:
		y, ok := b.(int64)
		return ok && x == y
	case float64:
		y, ok := b.(float64)
		return ok && x == y
	}
	return a == b
}

func showValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case string:
		if r := []rune(x); len(r) > 60 {
			x = string(r[:57]) + "…"
		}
		return "« " + x + " »"
	case []byte:
		return fmt.Sprintf("blob %x", x)
	}
	return fmt.Sprint(v)
}
