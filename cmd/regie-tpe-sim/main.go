// Command regie-tpe-sim is a card terminal simulator: it speaks the Concert
// protocol (E and E+) on a serial port or a pty, so that anyone can try card
// payments at a counter without a terminal. It prints every byte it receives
// and sends, which also helps people debugging a real installation.
//
//	regie-tpe-sim --port PATH [--baud 9600] [--line 8N1|7E1] [--outcome montant] …
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/regie-fr/regie/devices/concert"
	"github.com/regie-fr/regie/devices/serial"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// options are the command line's settings.
type options struct {
	port, line, outcome, pan string
	baud                     int
	delay, slow, answer      time.Duration
	lrcOnce, list            bool
}

func parse(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("regie-tpe-sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.port, "port", "", "port série ou pty du terminal simulé (/dev/pts/3, /dev/ttyUSB0, COM4)")
	fs.IntVar(&o.baud, "baud", serial.DefaultBaud, "vitesse en bauds")
	fs.StringVar(&o.line, "line", "8N1", "réglage de ligne : 8N1 (USB) ou 7E1 (RS-232)")
	fs.StringVar(&o.outcome, "outcome", "montant", "issue des paiements : "+concert.OutcomeNames()+
		"\n(montant : "+concert.ByAmountHelp+")")
	fs.DurationVar(&o.delay, "delay", 2*time.Second, "temps que met le client à payer")
	fs.DurationVar(&o.slow, "slow", 20*time.Second, "temps que met le client lent")
	fs.BoolVar(&o.lrcOnce, "lrc-once", false, "envoyer la première réponse avec un LRC faux (la caisse doit répondre NAK)")
	fs.StringVar(&o.pan, "pan", concert.DefaultSimPAN, "numéro de carte renvoyé (numéro de test)")
	fs.DurationVar(&o.answer, "answer-timeout", concert.DefaultAnswerTimeout, "attente de chaque réponse de la caisse")
	fs.BoolVar(&o.list, "list-ports", false, "afficher les ports probables et quitter")
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage : regie-tpe-sim --port CHEMIN [--baud 9600] [--line 8N1|7E1] [options]\n"+
			"Simule un terminal de paiement (protocole Concert) et affiche chaque octet échangé.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "Argument en trop : %s\n", fs.Arg(0))
		return o, errors.New("extra argument")
	}
	return o, nil
}

// run is main without the process, for tests: 0 when stopped by ctx, 2 on a
// usage or port problem.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parse(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	} else if err != nil {
		return 2
	}
	if o.list {
		return listPorts(stdout)
	}
	outcome, err := concert.ParseOutcome(o.outcome)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	line, err := serial.ParseLine(o.line)
	if err != nil {
		fmt.Fprintln(stderr, frenchError(err))
		return 2
	}
	port, err := serial.Open(serial.Config{Name: o.port, Baud: o.baud, Line: line})
	if err != nil {
		fmt.Fprintln(stderr, frenchError(err))
		return 2
	}
	defer port.Close()
	out := concert.LockedWriter(stdout)
	logf := func(format string, args ...any) {
		fmt.Fprintf(out, "%s ── %s\n", time.Now().Format("15:04:05.000"), fmt.Sprintf(format, args...))
	}
	fmt.Fprintf(out, "Terminal simulé sur %s (%d bauds, %s), issue : %s.\n", o.port, o.baud, line, outcome)
	if outcome == concert.ByAmount {
		fmt.Fprintf(out, "Selon le montant : %s.\n", concert.ByAmountHelp)
	}
	fmt.Fprintln(out, "Chaque octet reçu et envoyé est affiché en hexadécimal et en ASCII. Ctrl+C pour arrêter.")
	sim := concert.NewSimulator(port, concert.SimConfig{Outcome: outcome, CustomerDelay: o.delay, SlowDelay: o.slow,
		CorruptLRCOnce: o.lrcOnce, PAN: o.pan, AnswerTimeout: o.answer, Trace: out, Logf: logf})
	if err := sim.Run(ctx); err != nil {
		fmt.Fprintf(stderr, "Liaison perdue avec le port %s : %v\n", o.port, err)
		return 2
	}
	fmt.Fprintln(out, "Terminal simulé arrêté.")
	return 0
}

func listPorts(stdout io.Writer) int {
	ports := serial.Likely()
	if len(ports) == 0 {
		fmt.Fprintln(stdout, "Aucun port série probable trouvé.")
		return 0
	}
	fmt.Fprintln(stdout, "Ports probables :")
	for _, p := range ports {
		fmt.Fprintln(stdout, "  "+p)
	}
	return 0
}

// frenchError is the French message of a serial error.
func frenchError(err error) string {
	var e *serial.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}
