package store

import (
	"strings"
	"testing"
)

// TestToTarget: what SQLite may hold goes into the target's type only when
// it converts exactly; anything else is refused, never changed.
func TestToTarget(t *testing.T) {
	for _, c := range []struct {
		v    any
		typ  string
		want any
		err  string
	}{
		{int64(42), "bigint", int64(42), ""},
		{"42", "bigint", int64(42), ""},
		{[]byte("-7"), "bigint", int64(-7), ""},
		{float64(3), "bigint", int64(3), ""},
		{3.5, "bigint", nil, "cannot go into"},
		{"beaucoup", "bigint", nil, "invalid syntax"},
		{"12,5", "bigint", nil, "invalid syntax"},
		{true, "bigint", int64(1), ""},
		{nil, "bigint", nil, ""},
		{"Hélène", "text", "Hélène", ""},
		{[]byte("Zoé"), "text", "Zoé", ""},
		{"\xff\xfe", "text", nil, "UTF-8"},
		{int64(5), "text", "5", ""},
		{[]byte{0, 1, 2}, "bytea", []byte{0, 1, 2}, ""},
		{"clé", "bytea", []byte("clé"), ""},
		{int64(1), "bytea", nil, "cannot go into"},
		{int64(1), "boolean", nil, "not handled"},
	} {
		got, err := toTarget(c.v, c.typ)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%#v into %s: %#v, %v; want an error with %q", c.v, c.typ, got, err, c.err)
			}
			continue
		}
		if err != nil || string(appendNormal(nil, got)) != string(appendNormal(nil, c.want)) {
			t.Errorf("%#v into %s: %#v, %v; want %#v", c.v, c.typ, got, err, c.want)
		}
	}
}

// TestDigestAcrossDrivers: the same rows read by either driver, in any
// order, sum alike; a changed value, NULL for empty text, or a row twice
// do not.
func TestDigestAcrossDrivers(t *testing.T) {
	sum := func(rows ...[]any) *tableDigest {
		d := &tableDigest{}
		for _, r := range rows {
			d.add(r)
		}
		return d
	}
	sqlite := sum([]any{int64(1), "a", []byte{9}}, []any{int64(2), "", nil})
	pg := sum([]any{"2", []byte(""), nil}, []any{"1", []byte("a"), []byte{9}})
	if !sqlite.same(pg) {
		t.Fatal("the same rows from two drivers differ")
	}
	for name, other := range map[string]*tableDigest{
		"a value":        sum([]any{int64(1), "b", []byte{9}}, []any{int64(2), "", nil}),
		"NULL for empty": sum([]any{int64(1), "a", []byte{9}}, []any{int64(2), nil, nil}),
		"a row twice":    sum([]any{int64(1), "a", []byte{9}}, []any{int64(2), "", nil}, []any{int64(2), "", nil}),
		"columns moved":  sum([]any{"a", int64(1), []byte{9}}, []any{int64(2), "", nil}),
	} {
		if sqlite.same(other) {
			t.Errorf("%s: not told apart", name)
		}
	}
}

// TestFKOrder: referenced tables first, ties by name; a cycle still lists
// every table once.
func TestFKOrder(t *testing.T) {
	tables := []copyTable{{name: "allocations"}, {name: "journal"}, {name: "meta"}, {name: "payments"}, {name: "x"}, {name: "y"}}
	deps := map[string][]string{"allocations": {"payments"}, "payments": {"journal"}, "journal": {"journal", "unknown"},
		"x": {"y"}, "y": {"x"}}
	var got []string
	for _, tb := range fkOrder(tables, deps) {
		got = append(got, tb.name)
	}
	if want := "journal meta payments allocations x y"; strings.Join(got, " ") != want {
		t.Fatalf("order %v, want %s", got, want)
	}
}
