package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"fyne.io/fyne/v2"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app/ui"
	"github.com/regie-fr/regie/devices/concert"
	"github.com/regie-fr/regie/devices/serial"
)

// cardTerminal adapts the Concert driver to what the cashier screen needs.
type cardTerminal struct {
	d *concert.Driver
}

func (t cardTerminal) Pay(ctx context.Context, amount regie.Money) (ui.CardResult, error) {
	r, err := t.d.Pay(ctx, amount)
	return ui.CardResult{Authorisation: r.Authorisation, MaskedPAN: r.MaskedPAN, Status: r.Status}, err
}

func (t cardTerminal) Refund(ctx context.Context, amount regie.Money) (ui.CardResult, error) {
	r, err := t.d.Refund(ctx, amount)
	return ui.CardResult{Authorisation: r.Authorisation, MaskedPAN: r.MaskedPAN, Status: r.Status}, err
}

func (t cardTerminal) State() string { return t.d.State().String() }

// openTerminal opens the terminal of the configuration; in demo mode, a
// simulated terminal in the process, so card payments can be shown without
// hardware. The status bar follows the terminal's state. It returns nil
// when no terminal is configured.
func openTerminal(cfg *ui.Config, demoMode bool, status func(), stderr io.Writer) (ui.CardTerminal, func()) {
	onState := func(concert.State) { fyne.Do(status) }
	ccfg := concert.Config{OnState: onState, Logf: func(f string, a ...any) { slog.Debug(fmt.Sprintf(f, a...)) }}
	if demoMode {
		d, _, stop := concert.Loopback(ccfg, concert.SimConfig{})
		return cardTerminal{d}, stop
	}
	if cfg.TerminalPort == "" {
		return nil, func() {}
	}
	line, err := serial.ParseLine(cfg.TerminalLine)
	if err != nil {
		fmt.Fprintf(stderr, "Liaison du TPE invalide (%s) : TPE désactivé.\n", cfg.TerminalLine)
		return nil, func() {}
	}
	d, err := serial.OpenTerminal(serial.Config{Name: cfg.TerminalPort, Baud: cfg.TerminalBaud, Line: line}, ccfg)
	if err != nil {
		fmt.Fprintf(stderr, "TPE indisponible : %s\n", regie.ErrorMessage(err))
		return nil, func() {}
	}
	return cardTerminal{d}, func() { d.Close() }
}
