package printing

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/regie-fr/regie"
	"github.com/tarm/serial"
)

// Printer sends one complete job (ESC/POS bytes) to a thermal printer. Each
// Print opens the destination, writes the whole job and closes it, so a
// printer unplugged and plugged back in between two receipts just works.
// An error means the receipt may not be on paper: the payment is recorded
// all the same, and the counter offers a reprint.
type Printer interface {
	Print(ctx context.Context, job []byte) error
	fmt.Stringer
}

// ParsePrinter reads a thermal printer's destination from the counter's
// settings:
//
//	file:/dev/usb/lp0              a device file (USB printer class, or a file to capture)
//	serial:/dev/ttyUSB0?baud=9600  a serial port (COM3 on Windows); baud 9600 by default
//	tcp:192.168.1.50:9100          a network printer's raw port (9100 by default)
//
// A malformed destination is an *regie.Error with code EInvalid and a French
// message for the settings screen.
func ParsePrinter(spec string) (Printer, error) {
	kind, rest, _ := strings.Cut(strings.TrimSpace(spec), ":")
	bad := func(why string) error {
		return regie.Errorf(regie.EInvalid, "Imprimante mal configurée : « %s » (%s). Exemples : "+
			"file:/dev/usb/lp0, serial:/dev/ttyUSB0?baud=9600, tcp:192.168.1.50:9100.", spec, why)
	}
	switch kind {
	case "file":
		if rest == "" {
			return nil, bad("chemin du fichier manquant")
		}
		return &FilePrinter{Path: rest}, nil
	case "serial":
		name, query, _ := strings.Cut(rest, "?")
		if name == "" {
			return nil, bad("port série manquant")
		}
		p := &SerialPrinter{Port: name, Baud: 9600}
		q, err := url.ParseQuery(query)
		if err != nil {
			return nil, bad("paramètres illisibles")
		}
		if b := q.Get("baud"); b != "" {
			if p.Baud, err = strconv.Atoi(b); err != nil || p.Baud <= 0 {
				return nil, bad("vitesse invalide")
			}
		}
		return p, nil
	case "tcp":
		if rest == "" {
			return nil, bad("adresse manquante")
		}
		if _, _, err := net.SplitHostPort(rest); err != nil {
			rest = net.JoinHostPort(strings.Trim(rest, "[]"), "9100")
		}
		if _, port, err := net.SplitHostPort(rest); err != nil || port == "" {
			return nil, bad("adresse invalide")
		}
		return &TCPPrinter{Addr: rest}, nil
	}
	return nil, bad("type inconnu, attendu file, serial ou tcp")
}

// FilePrinter writes jobs to a device file such as /dev/usb/lp0. The file
// must exist: it is never created, so a printer that is not there is an
// error rather than a stray file under /dev.
type FilePrinter struct{ Path string }

// Print writes job to the device file.
func (p *FilePrinter) Print(ctx context.Context, job []byte) error {
	f, err := os.OpenFile(p.Path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return fmt.Errorf("printing: %s: %w", p, err)
	}
	return sendJob(ctx, p, f, job)
}

// String is the destination as written in the settings.
func (p *FilePrinter) String() string { return "file:" + p.Path }

// SerialPrinter writes jobs to a serial port, 8N1 at Baud.
type SerialPrinter struct {
	Port string
	Baud int
}

// Print opens the port, writes job and closes the port.
func (p *SerialPrinter) Print(ctx context.Context, job []byte) error {
	s, err := serial.OpenPort(&serial.Config{Name: p.Port, Baud: p.Baud, ReadTimeout: time.Second})
	if err != nil {
		return fmt.Errorf("printing: %s: %w", p, err)
	}
	return sendJob(ctx, p, s, job)
}

// String is the destination as written in the settings.
func (p *SerialPrinter) String() string { return fmt.Sprintf("serial:%s?baud=%d", p.Port, p.Baud) }

// TCPPrinter sends jobs to a network printer's raw port (JetDirect, 9100).
type TCPPrinter struct {
	Addr string
	// Timeout bounds connecting and sending when ctx has no deadline; 10 s
	// by default.
	Timeout time.Duration
}

// Print connects, sends job and closes the connection.
func (p *TCPPrinter) Print(ctx context.Context, job []byte) error {
	timeout := p.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", p.Addr)
	if err != nil {
		return fmt.Errorf("printing: %s: %w", p, err)
	}
	if dl, ok := ctx.Deadline(); ok {
		c.SetDeadline(dl)
	}
	return sendJob(ctx, p, c, job)
}

// String is the destination as written in the settings.
func (p *TCPPrinter) String() string { return "tcp:" + p.Addr }

// sendJob writes job to w and closes it. Writing to a printer out of paper
// can block for ever: when ctx ends first, w is closed to try to unblock
// the write, and ctx's error is returned at once without waiting for it.
func sendJob(ctx context.Context, p Printer, w io.WriteCloser, job []byte) error {
	done := make(chan error, 1)
	go func() {
		_, err := w.Write(job)
		done <- err
	}()
	var err error
	select {
	case err = <-done:
		if cerr := w.Close(); err == nil {
			err = cerr
		}
	case <-ctx.Done():
		w.Close()
		err = ctx.Err()
	}
	if err != nil {
		return fmt.Errorf("printing: %s: %w", p, err)
	}
	return nil
}
