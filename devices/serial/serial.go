// Package serial opens the serial port of a card terminal with
// github.com/tarm/serial: a native RS-232 port (/dev/ttyS0, COM1), usually
// 9600 baud 7E1, or a USB terminal's CDC-ACM port (/dev/ttyACM0, COM3), 8N1.
// The port it returns is an io.ReadWriteCloser for devices/concert.
package serial

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/devices/concert"
	tarm "github.com/tarm/serial"
)

// Line is a line setting: data bits, parity, stop bits.
type Line string

// The two settings card terminals use.
const (
	Line8N1 Line = "8N1" // USB (CDC-ACM), and the default
	Line7E1 Line = "7E1" // native RS-232 of the Concert protocol
)

// DefaultBaud is the Concert protocol's speed.
const DefaultBaud = 9600

// DefaultReadTimeout bounds each read of the port, so that a closed port is
// noticed. tarm/serial then reports "nothing came" as (0, io.EOF), which
// devices/concert understands. Its resolution is 0.1 s.
const DefaultReadTimeout = 100 * time.Millisecond

// EPort is the code of the errors of Open.
const EPort regie.ErrorCode = "serial_port"

// ParseLine reads "8N1" or "7E1", in any case; "" is 8N1.
func ParseLine(s string) (Line, error) {
	switch l := Line(strings.ToUpper(strings.TrimSpace(s))); l {
	case "", Line8N1:
		return Line8N1, nil
	case Line7E1:
		return Line7E1, nil
	}
	return "", &Error{Message: fmt.Sprintf("Réglage de ligne inconnu « %s » : choisissez 8N1 (USB) ou 7E1 (RS-232).", s),
		Err: fmt.Errorf("unknown line setting %q", s)}
}

// Config says which port to open and how.
type Config struct {
	Name        string        // /dev/ttyACM0, /dev/ttyS0, COM3
	Baud        int           // 0 means 9600
	Line        Line          // "" means 8N1
	ReadTimeout time.Duration // 0 means DefaultReadTimeout
}

// Port is an open serial port.
type Port struct {
	*tarm.Port
	name string
}

// Name is the port's name, as opened.
func (p *Port) Name() string { return p.name }

// Open opens and sets up the port. Its errors are *Error, with a French
// message that says what to check.
func Open(cfg Config) (*Port, error) {
	if strings.TrimSpace(cfg.Name) == "" {
		return nil, &Error{Message: "Indiquez le port du terminal, par exemple /dev/ttyACM0 ou COM3.",
			Err: errors.New("no port name")}
	}
	line, err := ParseLine(string(cfg.Line))
	if err != nil {
		return nil, err
	}
	if cfg.Baud == 0 {
		cfg.Baud = DefaultBaud
	}
	if cfg.ReadTimeout <= 0 {
		cfg.ReadTimeout = DefaultReadTimeout
	}
	c := &tarm.Config{Name: cfg.Name, Baud: cfg.Baud, ReadTimeout: cfg.ReadTimeout, Size: 8, Parity: tarm.ParityNone,
		StopBits: tarm.Stop1}
	if line == Line7E1 {
		c.Size, c.Parity = 7, tarm.ParityEven
	}
	p, err := tarm.OpenPort(c)
	if err != nil {
		return nil, &Error{Port: cfg.Name, Message: openMessage(cfg, err), Err: err}
	}
	return &Port{Port: p, name: cfg.Name}, nil
}

// OpenTerminal opens the port and starts a Concert driver on it, the one
// call a counter needs; closing the driver closes the port.
func OpenTerminal(port Config, cfg concert.Config) (*concert.Driver, error) {
	p, err := Open(port)
	if err != nil {
		return nil, err
	}
	return concert.New(p, cfg), nil
}

// openMessage explains a failed Open to the person installing the counter.
func openMessage(cfg Config, err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Sprintf("Port %s introuvable : le terminal est-il branché et allumé ? Vérifiez le nom du port.", cfg.Name)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Sprintf("Accès au port %s refusé : sous Linux, ajoutez l'utilisateur au groupe dialout "+
			"puis reconnectez-vous ; sous Windows, fermez le programme qui utilise déjà le port.", cfg.Name)
	case strings.Contains(err.Error(), "baud"):
		return fmt.Sprintf("Vitesse de %d bauds non prise en charge par le port %s.", cfg.Baud, cfg.Name)
	}
	return fmt.Sprintf("Impossible d'ouvrir le port %s (%v).", cfg.Name, err)
}

// Error is a port that cannot be opened: Error() in English for logs,
// Message in French for people. errors.As finds a *regie.Error in it, with
// code EPort, so regie.ErrorMessage shows Message.
type Error struct {
	Port    string
	Message string
	Err     error
}

func (e *Error) Error() string {
	if e.Port == "" {
		return "serial: " + e.Err.Error()
	}
	return "serial: open " + e.Port + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// As converts to a *regie.Error for the UI.
func (e *Error) As(target any) bool {
	if t, ok := target.(**regie.Error); ok {
		*t = &regie.Error{Code: EPort, Message: e.Message}
		return true
	}
	return false
}
