package concert

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// bytesPerLine is how many bytes one line of a trace shows, hexdump style.
const bytesPerLine = 16

// tracer prints every byte a side sends and receives, in hex and ASCII, for
// people debugging an installation. A full response is printed with its card
// number masked. A nil *tracer prints nothing.
type tracer struct {
	mu    sync.Mutex
	w     io.Writer
	out   string // label of what this side sends, "caisse → TPE"
	in    string // label of what it receives
	now   func() time.Time
	width int
}

// newTracer returns nil when w is nil, so callers need no check.
func newTracer(w io.Writer, local, remote string) *tracer {
	if w == nil {
		return nil
	}
	out, in := local+" → "+remote, remote+" → "+local
	return &tracer{w: w, out: out, in: in, now: time.Now, width: max(len([]rune(out)), len([]rune(in)))}
}

// bytes logs one exchange: a control byte, a frame or ignored bytes.
func (t *tracer) bytes(sent bool, b []byte, note string) {
	if t == nil || len(b) == 0 {
		return
	}
	shown, masked := maskFrame(b)
	if masked {
		note = strings.TrimSpace(note + " (numéro de carte masqué dans la trace)")
	}
	if len(b) == 1 {
		note = strings.TrimSpace(ControlName(b[0]) + " " + note)
	} else if len(b) > 1 && b[0] == STX {
		note = strings.TrimSpace(fmt.Sprintf("trame de %d octets %s", len(b), note))
	}
	label := t.in
	if sent {
		label = t.out
	}
	lines := HexDump(shown)
	t.mu.Lock()
	defer t.mu.Unlock()
	stamp := t.now().Format("15:04:05.000")
	pad := strings.Repeat(" ", t.width-len([]rune(label)))
	for i, line := range lines {
		if i == 0 {
			fmt.Fprintf(t.w, "%s %s%s  %s  %s\n", stamp, label, pad, line, note)
			continue
		}
		fmt.Fprintf(t.w, "%s  %s\n", strings.Repeat(" ", len(stamp)+1+t.width), line)
	}
}

// HexDump formats bytes as lines of up to 16 bytes: their hex values, padded
// to a fixed width, then their ASCII with '.' for control bytes.
func HexDump(b []byte) []string {
	var lines []string
	for len(b) > 0 {
		n := min(len(b), bytesPerLine)
		var hex, ascii strings.Builder
		for i, c := range b[:n] {
			if i > 0 {
				hex.WriteByte(' ')
			}
			fmt.Fprintf(&hex, "%02X", c)
			if c >= 0x20 && c < 0x7F {
				ascii.WriteByte(c)
			} else {
				ascii.WriteByte('.')
			}
		}
		lines = append(lines, fmt.Sprintf("%-*s  |%s|", bytesPerLine*3-1, hex.String(), ascii.String()))
		b = b[n:]
	}
	return lines
}
