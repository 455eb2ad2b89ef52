package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/devices/concert"
	"github.com/regie-fr/regie/devices/serial"
)

const terminalUsage = "Usage : regie-caisse terminal-test --port CHEMIN --amount 12,50 [--baud 9600] [--line 8N1|7E1] [options]\n" +
	"Envoie un débit au terminal de paiement par le vrai pilote et affiche chaque étape.\n" +
	"Code de sortie : 0 paiement accepté, 1 refusé par le terminal, 2 problème de liaison ou d'usage.\n\n"

// terminalOptions are terminal-test's settings.
type terminalOptions struct {
	port, amount, line, version string
	baud, till, enqTries        int
	short, trace                bool
	answer, customer, pause     time.Duration
}

func parseTerminalTest(args []string, stderr io.Writer) (terminalOptions, error) {
	var o terminalOptions
	fs := flag.NewFlagSet("terminal-test", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.port, "port", "", "port du terminal (/dev/ttyACM0, /dev/ttyS0, COM3)")
	fs.StringVar(&o.amount, "amount", "", "montant à débiter, par exemple 12,50")
	fs.IntVar(&o.baud, "baud", serial.DefaultBaud, "vitesse en bauds")
	fs.StringVar(&o.line, "line", "8N1", "réglage de ligne : 8N1 (USB) ou 7E1 (RS-232)")
	fs.IntVar(&o.till, "till", 1, "numéro de caisse envoyé au terminal (1 à 99)")
	fs.StringVar(&o.version, "version", "E+", "version du protocole Concert : E+ ou E")
	fs.BoolVar(&o.short, "short", false, "demander la réponse courte (sans numéro de carte)")
	fs.BoolVar(&o.trace, "trace", false, "afficher chaque octet échangé (hexadécimal et ASCII)")
	fs.DurationVar(&o.answer, "answer-timeout", concert.DefaultAnswerTimeout, "attente de chaque réponse du terminal")
	fs.DurationVar(&o.customer, "customer-timeout", concert.DefaultCustomerTimeout, "attente du résultat (le client tape son code)")
	fs.IntVar(&o.enqTries, "enq-tries", concert.DefaultENQTries, "nombre d'appels (ENQ) du terminal avant abandon")
	fs.DurationVar(&o.pause, "retry-pause", concert.DefaultRetryPause, "pause entre deux appels sans réponse")
	fs.Usage = func() {
		fmt.Fprint(stderr, terminalUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	problem := ""
	switch {
	case fs.NArg() > 0:
		problem = "Argument en trop : " + fs.Arg(0)
	case strings.TrimSpace(o.port) == "":
		problem = "Indiquez le port du terminal avec --port." + likelyPortsHint()
	case strings.TrimSpace(o.amount) == "":
		problem = "Indiquez le montant à débiter avec --amount, par exemple --amount 12,50."
	case o.till < 1 || o.till > 99:
		problem = "Le numéro de caisse (--till) doit être compris entre 1 et 99."
	case o.version != "E+" && o.version != "E":
		problem = "Version du protocole inconnue (--version) : choisissez E+ ou E."
	}
	if problem != "" {
		fmt.Fprintln(stderr, problem)
		return o, errUsage
	}
	return o, nil
}

// errUsage is a command line already explained on stderr.
var errUsage = errors.New("usage")

// likelyPortsHint lists the ports the terminal may be on, for the message
// of a missing --port.
func likelyPortsHint() string {
	ports := serial.Likely()
	if len(ports) == 0 {
		return " Aucun port série probable n'a été trouvé sur cet ordinateur."
	}
	return " Ports probables : " + strings.Join(ports, ", ") + "."
}

// terminalTest is `regie-caisse terminal-test`: one debit through the real
// driver on the real port, each step printed in French. It returns 0 when
// the terminal accepted, 1 when it refused, 2 on a link or usage problem.
func terminalTest(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseTerminalTest(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	} else if err != nil {
		return 2
	}
	amount, err := regie.ParseMoney(o.amount)
	if err != nil {
		fmt.Fprintln(stderr, regie.ErrorMessage(err))
		return 2
	}
	line, err := serial.ParseLine(o.line)
	if err != nil {
		fmt.Fprintln(stderr, regie.ErrorMessage(err))
		return 2
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()

	step := func(format string, args ...any) {
		fmt.Fprintf(stdout, "%s  %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
	}
	fmt.Fprintln(stdout, "Test du terminal de paiement")
	fmt.Fprintf(stdout, "  Port : %s (%d bauds, %s), caisse %02d, protocole Concert %s\n", o.port, o.baud, line, o.till, o.version)
	fmt.Fprintf(stdout, "  Montant : %s (débit)\n", amount)
	step("Ouverture du port %s…", o.port)
	port, err := serial.Open(serial.Config{Name: o.port, Baud: o.baud, Line: line})
	if err != nil {
		step("Échec : %s", regie.ErrorMessage(err))
		fmt.Fprintf(stdout, "Détail technique : %v\n", err)
		return 2
	}
	cfg := concert.Config{Till: o.till, ShortAnswer: o.short, ENQTries: o.enqTries, AnswerTimeout: o.answer,
		RetryPause: o.pause, CustomerTimeout: o.customer}
	if o.version == "E" {
		cfg.Version = concert.VersionE
	}
	if o.trace {
		cfg.Trace = stdout
	}
	cfg.OnState = func(s concert.State) {
		switch s {
		case concert.StateIdle:
		case concert.StateWaitingCustomer:
			step("%s (%s au plus ; Ctrl+C pour abandonner)", s, concert.Duration(o.customer))
		default:
			step("%s", s)
		}
	}
	d := concert.New(port, cfg)
	defer d.Close()
	res, err := d.Pay(ctx, amount)
	return report(stdout, res, err, o.trace)
}

// report prints the terminal's answer and chooses the exit status.
func report(w io.Writer, res concert.Result, err error, traced bool) int {
	if res.Status != "" {
		fmt.Fprintf(w, "  Statut brut du terminal : %s\n", res.Status)
		fmt.Fprintf(w, "  Montant annoncé par le terminal : %s\n", res.Amount)
	}
	if res.Authorisation != "" {
		fmt.Fprintf(w, "  Autorisation : %s\n", res.Authorisation)
	}
	if res.MaskedPAN != "" {
		fmt.Fprintf(w, "  Carte : %s\n", res.MaskedPAN)
	}
	switch code := concert.CodeOf(err); {
	case err == nil:
		fmt.Fprintln(w, "Résultat : paiement ACCEPTÉ par le terminal.")
		if res.Authorisation == "" {
			fmt.Fprintln(w, "Attention : le terminal n'a pas renvoyé de numéro d'autorisation ; il faudra le saisir depuis son ticket.")
		}
		return 0
	case code == concert.ERefused || code == concert.ENotProcessed:
		fmt.Fprintf(w, "Résultat : paiement REFUSÉ. %s\n", regie.ErrorMessage(err))
		return 1
	default:
		fmt.Fprintf(w, "Résultat : ÉCHEC. %s\n", regie.ErrorMessage(err))
		fmt.Fprintf(w, "Détail technique : %v\n", err)
		if !traced && code != concert.ECancelled {
			fmt.Fprintln(w, "Relancez avec --trace pour voir chaque octet échangé avec le terminal.")
		}
		return 2
	}
}
