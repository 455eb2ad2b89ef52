// Package concert speaks the Concert protocol (versions E and E+) between a
// till and a French card terminal (TPE): frames with an LRC, the two
// ENQ/ACK/EOT sessions of one payment, a driver over any io.ReadWriter and a
// simulator of the terminal. The protocol is described in
// shared/design/CONCERT.md; its vendor specification is not public, so every
// width and timing that varies between terminals is configurable.
//
// The package imports only the standard library and the root package regie.
package concert

import (
	"bytes"
	"errors"
	"fmt"
)

// The control bytes of the line.
const (
	STX byte = 0x02
	ETX byte = 0x03
	EOT byte = 0x04
	ENQ byte = 0x05
	ACK byte = 0x06
	NAK byte = 0x15
)

// MaxFrame is the longest frame either side accepts: STX, message, ETX, LRC.
const MaxFrame = 512

// controlNames is how traces and logs show the control bytes.
var controlNames = map[byte]string{STX: "STX", ETX: "ETX", EOT: "EOT", ENQ: "ENQ", ACK: "ACK", NAK: "NAK"}

// ControlName is "ENQ", "ACK"… for a control byte and its hex value for
// any other, for logs.
func ControlName(b byte) string {
	if n, ok := controlNames[b]; ok {
		return n
	}
	return fmt.Sprintf("0x%02X", b)
}

// Errors of the framing layer, for errors.Is.
var (
	ErrFrame    = errors.New("malformed frame")
	ErrLRC      = errors.New("wrong LRC")
	ErrTooLong  = errors.New("frame longer than 512 bytes")
	ErrNotASCII = errors.New("message byte outside 0x20-0x7F")
)

// LRC is the check byte of a message: the XOR of every byte of the message
// and of the ETX that ends it (STX is not included).
func LRC(msg []byte) byte {
	lrc := ETX
	for _, b := range msg {
		lrc ^= b
	}
	return lrc
}

// Frame wraps a message as STX message ETX LRC. The message must be ASCII
// 0x20–0x7F and short enough for the frame to fit in MaxFrame bytes.
func Frame(msg []byte) ([]byte, error) {
	if err := checkMessage(msg); err != nil {
		return nil, err
	}
	f := make([]byte, 0, len(msg)+3)
	f = append(f, STX)
	f = append(f, msg...)
	return append(f, ETX, LRC(msg)), nil
}

// ParseFrame checks a whole frame (STX message ETX LRC) and returns a copy of
// its message. A wrong check byte is ErrLRC, which the receiver answers with
// NAK; anything else wrong is ErrFrame, ErrTooLong or ErrNotASCII.
func ParseFrame(frame []byte) ([]byte, error) {
	if len(frame) > MaxFrame {
		return nil, ErrTooLong
	}
	if len(frame) < 3 || frame[0] != STX || frame[len(frame)-2] != ETX {
		return nil, fmt.Errorf("%w: want STX … ETX LRC, got % X", ErrFrame, frame)
	}
	msg := frame[1 : len(frame)-2]
	if i := bytes.IndexByte(msg, ETX); i >= 0 {
		return nil, fmt.Errorf("%w: ETX inside the message at %d", ErrFrame, i)
	}
	if err := checkMessage(msg); err != nil {
		return nil, err
	}
	if got, want := frame[len(frame)-1], LRC(msg); got != want {
		return nil, fmt.Errorf("%w: got 0x%02X, want 0x%02X", ErrLRC, got, want)
	}
	return bytes.Clone(msg), nil
}

// checkMessage enforces the character set and the size of a message.
func checkMessage(msg []byte) error {
	if len(msg)+3 > MaxFrame {
		return ErrTooLong
	}
	for i, b := range msg {
		if b < 0x20 || b > 0x7F {
			return fmt.Errorf("%w: 0x%02X at %d", ErrNotASCII, b, i)
		}
	}
	return nil
}

// maskFrame returns frame, or a copy with the card number hidden when frame
// carries a full response: the card data is replaced by the masked card
// number, so traces never show a whole card number.
// The masked copy has a wrong LRC; it is only ever printed.
func maskFrame(frame []byte) ([]byte, bool) {
	if len(frame) != fullResponseLen+3 || frame[0] != STX {
		return frame, false
	}
	masked := MaskPAN(string(frame[1+cardOffset : 1+cardOffset+cardLen]))
	out := bytes.Clone(frame)
	field := out[1+cardOffset : 1+cardOffset+cardLen]
	copy(field, bytes.Repeat([]byte{' '}, cardLen))
	copy(field, masked)
	return out, true
}
