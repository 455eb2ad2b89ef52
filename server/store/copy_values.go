package store

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

// toTarget converts a value read from SQLite to the Go type the target's
// column takes (pgx's COPY encodes each column in its binary form and
// converts nothing by itself). SQLite's column affinity already stores
// integers as integers and text as text; what else a file may hold (text
// of digits in an integer column) converts when it is exact, and anything
// else is an error rather than a value changed on the way.
func toTarget(v any, typ string) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch typ {
	case "bigint", "integer", "smallint":
		switch x := v.(type) {
		case int64:
			return x, nil
		case string:
			return strconv.ParseInt(x, 10, 64)
		case []byte:
			return strconv.ParseInt(string(x), 10, 64)
		case float64:
			if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
				return int64(x), nil
			}
		case bool:
			return boolInt(x), nil
		}
	case "text", "character varying":
		switch x := v.(type) {
		case string:
			if !utf8.ValidString(x) {
				return nil, fmt.Errorf("text that is not UTF-8")
			}
			return x, nil
		case []byte:
			if !utf8.Valid(x) {
				return nil, fmt.Errorf("text that is not UTF-8")
			}
			return string(x), nil
		case int64:
			return strconv.FormatInt(x, 10), nil
		case float64:
			return strconv.FormatFloat(x, 'g', -1, 64), nil
		}
	case "bytea":
		switch x := v.(type) {
		case []byte:
			return x, nil
		case string:
			return []byte(x), nil
		}
	default:
		return nil, fmt.Errorf("column type %s is not handled by the copy", typ)
	}
	return nil, fmt.Errorf("a %T cannot go into a %s column", v, typ)
}

// tableDigest sums what a table holds, whatever the order its rows are
// read in: their number, and the sum (lane by lane, modulo 2⁶⁴) of each
// row's SHA-256. Two tables with the same digest hold the same rows, the
// same number of times each.
type tableDigest struct {
	rows int64
	sum  [4]uint64
	buf  []byte
}

// add counts one row. Values are compared as the text they stand for,
// whichever driver read them: SQLite's int64 5 and PostgreSQL's int64 5
// agree, as do a []byte and a string of the same bytes; NULL differs from
// every text, the empty one included.
func (d *tableDigest) add(vals []any) {
	d.buf = d.buf[:0]
	for _, v := range vals {
		d.buf = appendNormal(d.buf, v)
	}
	h := sha256.Sum256(d.buf)
	for i := range d.sum {
		d.sum[i] += binary.BigEndian.Uint64(h[i*8:])
	}
	d.rows++
}

func (d *tableDigest) same(o *tableDigest) bool { return d.rows == o.rows && d.sum == o.sum }

// appendNormal appends v as a tag and its length-prefixed text.
func appendNormal(b []byte, v any) []byte {
	var s string
	switch x := v.(type) {
	case nil:
		return append(b, 'N')
	case int64:
		s = strconv.FormatInt(x, 10)
	case int32:
		s = strconv.FormatInt(int64(x), 10)
	case string:
		s = x
	case []byte:
		s = string(x)
	case float64:
		s = strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		s = strconv.FormatInt(boolInt(x), 10)
	case time.Time:
		s = x.UTC().Format(time.RFC3339Nano)
	default:
		s = fmt.Sprintf("%T:%v", v, v)
	}
	b = append(b, 'V')
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}
