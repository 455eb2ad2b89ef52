package regie

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
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
// different texts hash alike: a key repeated in an object, and anything
// after the value but white space.
func CanonicalJSON(raw []byte) ([]byte, error) {
	// encoding/json would quietly turn these into U+FFFD, so that different
	// bytes hash alike and other verifiers refuse what Go accepted.
	if !utf8.Valid(raw) {
		return nil, fmt.Errorf("canonical: invalid UTF-8")
	}
	if err := checkSurrogates(raw); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var b bytes.Buffer
	b.Grow(len(raw))
	if err := canonicalValue(&b, dec, 0); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("canonical: trailing data after the value")
	}
	return b.Bytes(), nil
}

// canonicalValue reads one value from dec and writes it canonically.
func canonicalValue(b *bytes.Buffer, dec *json.Decoder, depth int) error {
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("canonical: decode: %w", err)
	}
	switch v := tok.(type) {
	case json.Delim:
		if depth >= maxDepth {
			return fmt.Errorf("canonical: nested deeper than %d levels", maxDepth)
		}
		switch v {
		case '[':
			return canonicalArray(b, dec, depth+1)
		case '{':
			return canonicalObject(b, dec, depth+1)
		}
		return fmt.Errorf("canonical: unexpected %q", v)
	case nil:
		b.WriteString("null")
	case bool:
		if v {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case json.Number:
		n, err := v.Int64()
		if err != nil || strings.ContainsAny(string(v), ".eE") {
			return fmt.Errorf("canonical: %q is not an integer", string(v))
		}
		b.WriteString(strconv.FormatInt(n, 10))
	case string:
		return writeString(b, v)
	default:
		return fmt.Errorf("canonical: unexpected %T", tok)
	}
	return nil
}

func canonicalArray(b *bytes.Buffer, dec *json.Decoder, depth int) error {
	b.WriteByte('[')
	for i := 0; dec.More(); i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := canonicalValue(b, dec, depth); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // the closing ']'
		return fmt.Errorf("canonical: decode: %w", err)
	}
	b.WriteByte(']')
	return nil
}

func canonicalObject(b *bytes.Buffer, dec *json.Decoder, depth int) error {
	members := map[string][]byte{}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("canonical: decode: %w", err)
		}
		key, ok := tok.(string)
		if !ok {
			return fmt.Errorf("canonical: object key %v is not a string", tok)
		}
		if _, dup := members[key]; dup {
			return fmt.Errorf("canonical: key %q appears twice", key)
		}
		var vb bytes.Buffer
		if err := canonicalValue(&vb, dec, depth); err != nil {
			return err
		}
		members[key] = vb.Bytes()
		keys = append(keys, key)
	}
	if _, err := dec.Token(); err != nil { // the closing '}'
		return fmt.Errorf("canonical: decode: %w", err)
	}
	sort.Strings(keys)
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := writeString(b, k); err != nil {
			return err
		}
		b.WriteByte(':')
		b.Write(members[k])
	}
	b.WriteByte('}')
	return nil
}

func writeString(b *bytes.Buffer, s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("canonical: invalid UTF-8 in %q", s)
	}
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\f':
			b.WriteString(`\f`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20:
			fmt.Fprintf(b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return nil
}

// maxDepth is encoding/json's own nesting limit: the recursive descent above
// must not overflow the stack (a fatal error) on hostile input.
const maxDepth = 10000

// checkSurrogates refuses a \uXXXX escape of a UTF-16 surrogate that is not
// part of a pair, which encoding/json would turn into U+FFFD.
func checkSurrogates(raw []byte) error {
	in := false
	for i := 0; i < len(raw); i++ {
		switch c := raw[i]; {
		case c == '"':
			in = !in
		case c == '\\' && in && i+1 < len(raw):
			if raw[i+1] != 'u' {
				i++
				continue
			}
			r, ok := hex4(raw[i+2:])
			switch {
			case !ok:
				i++
			case utf16.IsSurrogate(r) && r < 0xdc00:
				lo, ok := hex4(raw[min(i+8, len(raw)):])
				if !ok || raw[i+6] != '\\' || raw[i+7] != 'u' || lo < 0xdc00 || lo > 0xdfff {
					return fmt.Errorf("canonical: unpaired surrogate in a string")
				}
				i += 11
			case utf16.IsSurrogate(r):
				return fmt.Errorf("canonical: unpaired surrogate in a string")
			default:
				i += 5
			}
		}
	}
	return nil
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	n, err := strconv.ParseUint(string(b[:4]), 16, 32)
	return rune(n), err == nil
}
