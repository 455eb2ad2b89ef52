package regie

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// Canonical encodes v as the journal's canonical JSON, the bytes that are
// hashed. It is specified in docs/journal.md so that the server and an
// auditor's script can recompute every hash:
//
//   - objects with their keys sorted by byte value, no insignificant space;
//   - integers only (money is in cents): a fraction or an exponent is refused;
//   - strings escape only '"', '\\' and the control characters U+0000–U+001F
//     (as \b \t \n \f \r or \u00xx, lowercase hex); everything else is
//     written as UTF-8, invalid UTF-8 is refused;
//   - true, false and null as they are.
//
// This is RFC 8785 (JCS) restricted to integers and ASCII keys.
func Canonical(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("canonical: marshal: %w", err)
	}
	return CanonicalJSON(raw)
}

// CanonicalJSON re-encodes any JSON text canonically, for bytes that arrive
// from elsewhere (the wire, the database). It refuses what would make two
// different texts hash alike: invalid UTF-8, an unpaired surrogate escape,
// a key repeated in an object, and anything after the value but white
// space. The parser is written here rather than on encoding/json's
// tokenizer, which would quietly replace bad text with U+FFFD and costs ten
// times as much on the path of every payment.
func CanonicalJSON(raw []byte) ([]byte, error) {
	if !utf8.Valid(raw) {
		return nil, fmt.Errorf("canonical: invalid UTF-8")
	}
	p := &parser{in: raw}
	out := make([]byte, 0, len(raw))
	p.space()
	out, err := p.value(out, 0)
	if err != nil {
		return nil, err
	}
	p.space()
	if p.pos != len(p.in) {
		return nil, fmt.Errorf("canonical: trailing data after the value at byte %d", p.pos)
	}
	return out, nil
}

// writeString appends s as a canonical JSON string.
func writeString(b *bytes.Buffer, s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("canonical: invalid UTF-8 in %q", s)
	}
	b.Write(appendString(nil, s))
	return nil
}
