package regie

import (
	"fmt"
	"sort"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth is encoding/json's own nesting limit: the recursive descent
// must not overflow the stack (a fatal error) on hostile input.
const maxDepth = 10000

// parser reads one JSON text (RFC 8259) and writes it canonically. The
// input is valid UTF-8 already.
type parser struct {
	in  []byte
	pos int
}

func (p *parser) errorf(format string, args ...any) error {
	return fmt.Errorf("canonical: at byte %d: %s", p.pos, fmt.Sprintf(format, args...))
}

func (p *parser) space() {
	for p.pos < len(p.in) {
		switch p.in[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *parser) value(out []byte, depth int) ([]byte, error) {
	if p.pos >= len(p.in) {
		return nil, p.errorf("unexpected end of input")
	}
	switch c := p.in[p.pos]; {
	case c == '{' || c == '[':
		if depth >= maxDepth {
			return nil, p.errorf("nested deeper than %d levels", maxDepth)
		}
		if c == '{' {
			return p.object(out, depth+1)
		}
		return p.array(out, depth+1)
	case c == '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return appendString(out, s), nil
	case c == '-' || c >= '0' && c <= '9':
		return p.number(out)
	}
	for _, lit := range []string{"true", "false", "null"} {
		if len(p.in)-p.pos >= len(lit) && string(p.in[p.pos:p.pos+len(lit)]) == lit {
			p.pos += len(lit)
			return append(out, lit...), nil
		}
	}
	return nil, p.errorf("unexpected %q", p.in[p.pos])
}

func (p *parser) array(out []byte, depth int) ([]byte, error) {
	p.pos++ // '['
	out = append(out, '[')
	p.space()
	if p.pos < len(p.in) && p.in[p.pos] == ']' {
		p.pos++
		return append(out, ']'), nil
	}
	for {
		var err error
		p.space()
		if out, err = p.value(out, depth); err != nil {
			return nil, err
		}
		p.space()
		if p.pos >= len(p.in) {
			return nil, p.errorf("unclosed array")
		}
		switch p.in[p.pos] {
		case ',':
			p.pos++
			out = append(out, ',')
		case ']':
			p.pos++
			return append(out, ']'), nil
		default:
			return nil, p.errorf("expected ',' or ']'")
		}
	}
}

// member is a key and where its canonical value stands in a scratch buffer.
type member struct {
	key        string
	start, end int
}

func (p *parser) object(out []byte, depth int) ([]byte, error) {
	p.pos++ // '{'
	p.space()
	if p.pos < len(p.in) && p.in[p.pos] == '}' {
		p.pos++
		return append(out, '{', '}'), nil
	}
	var members []member
	var scratch []byte
	for {
		p.space()
		if p.pos >= len(p.in) || p.in[p.pos] != '"' {
			return nil, p.errorf("expected a string key")
		}
		key, err := p.str()
		if err != nil {
			return nil, err
		}
		p.space()
		if p.pos >= len(p.in) || p.in[p.pos] != ':' {
			return nil, p.errorf("expected ':'")
		}
		p.pos++
		p.space()
		start := len(scratch)
		if scratch, err = p.value(scratch, depth); err != nil {
			return nil, err
		}
		members = append(members, member{key, start, len(scratch)})
		p.space()
		if p.pos >= len(p.in) {
			return nil, p.errorf("unclosed object")
		}
		if p.in[p.pos] == '}' {
			p.pos++
			break
		}
		if p.in[p.pos] != ',' {
			return nil, p.errorf("expected ',' or '}'")
		}
		p.pos++
	}
	sort.Slice(members, func(i, j int) bool { return members[i].key < members[j].key })
	out = append(out, '{')
	for i, m := range members {
		if i > 0 {
			if members[i-1].key == m.key {
				return nil, fmt.Errorf("canonical: key %q appears twice", m.key)
			}
			out = append(out, ',')
		}
		out = appendString(out, m.key)
		out = append(out, ':')
		out = append(out, scratch[m.start:m.end]...)
	}
	return append(out, '}'), nil
}

// number accepts JSON's number grammar, then refuses all but integers.
func (p *parser) number(out []byte) ([]byte, error) {
	start := p.pos
	if p.in[p.pos] == '-' {
		p.pos++
	}
	digits := p.pos
	for p.pos < len(p.in) && p.in[p.pos] >= '0' && p.in[p.pos] <= '9' {
		p.pos++
	}
	switch n := p.pos - digits; {
	case n == 0:
		return nil, p.errorf("a number needs digits")
	case n > 1 && p.in[digits] == '0':
		return nil, p.errorf("leading zero in a number")
	}
	if p.pos < len(p.in) && (p.in[p.pos] == '.' || p.in[p.pos] == 'e' || p.in[p.pos] == 'E') {
		return nil, fmt.Errorf("canonical: %q… is not an integer", p.in[start:p.pos+1])
	}
	n, err := strconv.ParseInt(string(p.in[start:p.pos]), 10, 64)
	if err != nil {
		return nil, fmt.Errorf("canonical: %q is not a 64-bit integer", p.in[start:p.pos])
	}
	return strconv.AppendInt(out, n, 10), nil
}

// str reads a JSON string and returns its text, escapes decoded.
func (p *parser) str() (string, error) {
	p.pos++ // '"'
	start := p.pos
	for p.pos < len(p.in) { // fast path: no escape
		c := p.in[p.pos]
		if c == '"' {
			p.pos++
			return string(p.in[start : p.pos-1]), nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		p.pos++
	}
	buf := append([]byte(nil), p.in[start:p.pos]...)
	for p.pos < len(p.in) {
		c := p.in[p.pos]
		switch {
		case c == '"':
			p.pos++
			return string(buf), nil
		case c < 0x20:
			return "", p.errorf("raw control character in a string")
		case c != '\\':
			buf = append(buf, c)
			p.pos++
			continue
		}
		if p.pos+1 >= len(p.in) {
			break
		}
		esc := p.in[p.pos+1]
		p.pos += 2
		switch esc {
		case '"', '\\', '/':
			buf = append(buf, esc)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, err := p.unicodeEscape()
			if err != nil {
				return "", err
			}
			buf = utf8.AppendRune(buf, r)
		default:
			return "", p.errorf("bad escape \\%c", esc)
		}
	}
	return "", p.errorf("unclosed string")
}

// unicodeEscape reads the XXXX of \uXXXX (and the low half of a surrogate
// pair); an unpaired surrogate is refused, not replaced.
func (p *parser) unicodeEscape() (rune, error) {
	r, ok := p.hex4()
	if !ok {
		return 0, p.errorf("bad \\u escape")
	}
	if !utf16.IsSurrogate(r) {
		return r, nil
	}
	if r >= 0xdc00 || p.pos+1 >= len(p.in) || p.in[p.pos] != '\\' || p.in[p.pos+1] != 'u' {
		return 0, p.errorf("unpaired surrogate")
	}
	p.pos += 2
	lo, ok := p.hex4()
	if !ok || lo < 0xdc00 || lo > 0xdfff {
		return 0, p.errorf("unpaired surrogate")
	}
	return utf16.DecodeRune(r, lo), nil
}

func (p *parser) hex4() (rune, bool) {
	if len(p.in)-p.pos < 4 {
		return 0, false
	}
	n, err := strconv.ParseUint(string(p.in[p.pos:p.pos+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	p.pos += 4
	return rune(n), true
}

// shortEscape is the one-letter escape of the control characters that
// have one; the others are written \u00xx.
var shortEscape = [0x20]byte{'\b': 'b', '\t': 't', '\n': 'n', '\f': 'f', '\r': 'r'}

// appendString appends s as a canonical JSON string: only '"', '\\' and
// the control characters are escaped.
func appendString(out []byte, s string) []byte {
	const hex = "0123456789abcdef"
	out = append(out, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			out = append(out, '\\', c)
		case c < 0x20 && shortEscape[c] != 0:
			out = append(out, '\\', shortEscape[c])
		case c < 0x20:
			out = append(out, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			out = append(out, c)
		}
	}
	return append(out, '"')
}
