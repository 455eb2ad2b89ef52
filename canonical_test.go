package regie

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// canonCase is one input to CanonicalJSON: its canonical form, or "" when it
// must be refused.
type canonCase struct {
	name, in, want string
}

var canonCases = []canonCase{
	// Key order: by bytes, so upper case before '_' before lower case, and
	// the UTF-8 of 'é' (0xC3 0xA9) after every ASCII letter.
	{name: "keys sorted by byte", in: `{"b":1,"a":2,"A":3,"_":4,"aa":5,"":6}`, want: `{"":6,"A":3,"_":4,"a":2,"aa":5,"b":1}`},
	{name: "non-ASCII key last", in: `{"é":1,"z":2,"e":3}`, want: `{"e":3,"z":2,"é":1}`},
	{name: "nested", in: `{"z":[{"b":1,"a":[true,false,null]}],"a":{"d":{},"c":[]}}`,
		want: `{"a":{"c":[],"d":{}},"z":[{"a":[true,false,null],"b":1}]}`},
	{name: "whitespace dropped", in: " {\n\t\"a\" : [ 1 , 2 ] ,\r\n \"b\" : { } } \n", want: `{"a":[1,2],"b":{}}`},
	{name: "array order kept", in: `[3,1,2]`, want: `[3,1,2]`},
	{name: "bare scalars", in: `"x"`, want: `"x"`},
	{name: "null", in: `null`, want: `null`},
	// Integers.
	{name: "zero", in: `0`, want: `0`},
	{name: "minus zero", in: `-0`, want: `0`},
	{name: "int64 min", in: `-9223372036854775808`, want: `-9223372036854775808`},
	{name: "int64 max", in: `9223372036854775807`, want: `9223372036854775807`},
	{name: "over int64", in: `9223372036854775808`},
	{name: "float 1.5", in: `1.5`},
	{name: "float 1e3", in: `1e3`},
	{name: "float 1.0", in: `1.0`},
	{name: "float 1E2", in: `1E2`},
	{name: "float -0.0", in: `-0.0`},
	{name: "float 1e-2 in object", in: `{"amount":1e-2}`},
	{name: "float deep", in: `[[{"a":[0,0.5]}]]`},
	{name: "leading zero", in: `007`},
	{name: "plus sign", in: `+1`},
	{name: "NaN", in: `NaN`},
	{name: "Infinity", in: `[Infinity]`},
	// Strings.
	{name: "quote and backslash", in: `"a\"b\\c"`, want: `"a\"b\\c"`},
	{name: "solidus unescaped", in: `"a\/b"`, want: `"a/b"`},
	{name: "html not escaped", in: `"\u003c\u003e\u0026 <>&"`, want: `"<>& <>&"`},
	{name: "U+2028 U+2029 raw", in: `"\u2028\u2029"`, want: "\"\u2028\u2029\""},
	{name: "DEL raw", in: `"\u007f"`, want: "\"\x7f\""},
	{name: "non-ASCII raw", in: `"\u00e9t\u00e9 \u20ac \ud83d\ude00"`, want: `"été € 😀"`},
	{name: "raw UTF-8 kept", in: `"Hélène N'Diaye-Müller — 12,50 €"`, want: `"Hélène N'Diaye-Müller — 12,50 €"`},
	{name: "raw control char", in: "\"a\nb\""},
	{name: "invalid UTF-8", in: "\"\xff\""},
	{name: "invalid UTF-8 in key", in: "{\"\xc3\":1}"},
	{name: "lone surrogate", in: `"\ud800"`},
	{name: "bad escape", in: `"\x41"`},
	// Framing.
	{name: "empty", in: ``},
	{name: "only space", in: ` `},
	{name: "two values", in: `1 2`},
	{name: "trailing word", in: `{} x`},
	{name: "trailing brace", in: `{}}`},
	{name: "trailing bracket", in: `[1]]`},
	{name: "anything after a closer", in: `false }0`},
	{name: "truncated", in: `{"a":`},
	{name: "trailing comma", in: `[1,]`},
	{name: "single quotes", in: `{'a':1}`},
	{name: "duplicate key", in: `{"a":1,"a":2}`},
	{name: "duplicate key nested", in: `{"a":{"b":1,"b":1}}`},
	{name: "same key in sibling objects", in: `[{"a":1},{"a":1}]`, want: `[{"a":1},{"a":1}]`},
	{name: "missing colon", in: `{"a" 1}`},
	{name: "missing comma", in: `{"a":1 "b":2}`},
	{name: "colon in array", in: `["a":1]`},
	{name: "number key", in: `{1:2}`},
	{name: "unclosed", in: `{"a":[}`},
	{name: "9,999 levels", in: strings.Repeat("[", 9999) + strings.Repeat("]", 9999),
		want: strings.Repeat("[", 9999) + strings.Repeat("]", 9999)},
	{name: "10,001 levels", in: strings.Repeat("[", 10001) + strings.Repeat("]", 10001)},
}

func TestCanonicalJSON(t *testing.T) {
	for _, tt := range canonCases {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CanonicalJSON([]byte(tt.in))
			ok := tt.want == "" && err != nil || tt.want != "" && err == nil && string(got) == tt.want
			if !ok && tt.want == "" {
				t.Fatalf("CanonicalJSON(%q) = %q, want an error", tt.in, got)
			}
			if !ok {
				t.Fatalf("CanonicalJSON(%q) = %q, %v\nwant %q", tt.in, got, err, tt.want)
			}
			if err != nil {
				return
			}
			again, err := CanonicalJSON(got)
			if err != nil || !bytes.Equal(again, got) {
				t.Errorf("not idempotent: %q gives %q, %v", got, again, err)
			}
		})
	}
}

func TestCanonicalControlChars(t *testing.T) {
	short := map[rune]string{'\b': `\b`, '\t': `\t`, '\n': `\n`, '\f': `\f`, '\r': `\r`}
	for r := rune(0); r < 0x20; r++ {
		want, ok := short[r]
		if !ok {
			want = fmt.Sprintf(`\u%04x`, r)
		}
		t.Run(fmt.Sprintf("U+%04X", r), func(t *testing.T) {
			for _, in := range [][]byte{[]byte(fmt.Sprintf(`"\u%04X"`, r)), []byte(fmt.Sprintf(`"\u%04x"`, r))} {
				if got, err := CanonicalJSON(in); err != nil || string(got) != `"`+want+`"` {
					t.Errorf("CanonicalJSON(%s) = %s, %v; want \"%s\"", in, got, err, want)
				}
			}
			if got, err := Canonical("<" + string(r) + ">"); err != nil || string(got) != `"<`+want+`>"` {
				t.Errorf("Canonical = %s, %v; want \"<%s>\"", got, err, want)
			}
		})
	}
}

func TestCanonicalGoValues(t *testing.T) {
	type tender struct {
		Mode   PaymentMode `json:"mode"`
		Amount Money       `json:"amount"`
		Note   string      `json:"note,omitempty"`
	}
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"struct fields sorted", tender{Mode: Cash, Amount: 12_50}, `{"amount":1250,"mode":"cash"}`},
		{"map sorted", map[string]any{"z": 1, "a": []int{2, 1}}, `{"a":[2,1],"z":1}`},
		{"mode totals", ModeTotals{Check: 2, Cash: 1}, `{"cash":1,"check":2}`},
		{"html and U+2028 raw", "<a href=\"x\">&\u2028</a>", `"<a href=\"x\">&` + "\u2028" + `</a>"`},
		{"negative money", Money(-1_00), `-100`},
		{"nil slice", []int(nil), `null`},
		{"float 1.5", 1.5, ""},
		{"float 1e21", 1e21, ""},
		{"float in struct", struct{ X float64 }{0.1}, ""},
		{"channel", make(chan int), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Canonical(tt.in)
			switch {
			case tt.want == "" && err == nil:
				t.Errorf("Canonical(%v) = %s, want an error", tt.in, got)
			case tt.want != "" && (err != nil || string(got) != tt.want):
				t.Errorf("Canonical(%v) = %s, %v; want %s", tt.in, got, err, tt.want)
			case err != nil && !strings.HasPrefix(err.Error(), "canonical: "):
				t.Errorf("error %q lacks the canonical: prefix", err)
			}
		})
	}
	// encoding/json writes an integral float64 without a fraction, so the
	// float type itself cannot be seen: money must stay Money (int64).
	if got, err := Canonical(2.0); err != nil || string(got) != "2" {
		t.Errorf("Canonical(2.0) = %s, %v", got, err)
	}
}
