// Command regie-payfip-sim simulates PayFiP, the DGFiP's online payment
// service, as regie-tpe-sim simulates a card terminal: its web service
// (creerPaiementSecurise, recupererDetailPaiementSecurise) and a French
// payment page where the tester pays by card or direct debit, refuses or
// cancels; then it notifies the régie's server and sends the citizen back.
// Point the server at it with REGIE_PAYFIP_URL.
//
//	regie-payfip-sim [--addr 127.0.0.1:8090] [--notify-delay 2s] [--drop-notification] [--notify-twice]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/regie-fr/regie/server/payfip/payfipsim"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run is main without the process, for tests: 0 when stopped by ctx, 2 on a
// usage problem, 1 when the address is taken.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var opt payfipsim.Options
	fs := flag.NewFlagSet("regie-payfip-sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8090", "adresse d'écoute du simulateur")
	fs.DurationVar(&opt.NotifyDelay, "notify-delay", 0, "attente avant de notifier le serveur de la régie")
	fs.BoolVar(&opt.DropNotification, "drop-notification", false, "ne jamais notifier (le serveur doit retrouver le résultat seul)")
	fs.BoolVar(&opt.NotifyTwice, "notify-twice", false, "notifier deux fois chaque paiement")
	fs.Int64Var(&opt.AmountSkew, "amount-skew", 0, "centimes ajoutés au montant annoncé par le statut (test d'anomalie uniquement)")
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage : regie-payfip-sim [--addr 127.0.0.1:8090] [options]\n"+
			"Simule PayFiP (service web et page de paiement) ; aucun paiement réel n'a lieu.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return 0
	} else if err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "Argument en trop : %s\n", fs.Arg(0))
		return 2
	}
	opt.Logger = slog.New(slog.NewTextHandler(stderr, nil))
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "Adresse %s indisponible : %v\n", *addr, err)
		return 1
	}
	sim := payfipsim.New(opt)
	srv := &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "Simulateur PayFiP : REGIE_PAYFIP_URL=%s\n", payfipsim.BaseURL("http://"+ln.Addr().String()))
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(stderr, err)
		return 1
	}
	sim.Wait()
	return 0
}
