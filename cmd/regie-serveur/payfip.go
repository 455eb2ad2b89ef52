package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/regie-fr/regie/server/payfip"
	"github.com/regie-fr/regie/server/payfip/payfipsim"
	"github.com/regie-fr/regie/server/store"
)

// onlinePayments is the PayFiP service the portal offers on open invoices
// (portal.Config.Online), speaking to REGIE_PAYFIP_URL (PayFiP itself by
// default); base is the portal's public address, where PayFiP notifies
// and sends citizens back. Only régies with a PayFiP client number offer
// it.
func onlinePayments(st *store.Store, cfg *config, base string, log *slog.Logger) *payfip.Service {
	saisie := "W"
	if cfg.PayFiPURL != "" && cfg.PayFiPURL != payfip.DefaultBaseURL {
		saisie = "T" // the simulator, or PayFiP's test platform
	}
	client := payfip.NewClient(payfip.ClientConfig{BaseURL: cfg.PayFiPURL, Logger: log})
	return payfip.NewService(payfip.Config{Store: st, Client: client, PublicURL: base, Saisie: saisie, Logger: log})
}

// payfipChore is the server's periodic work for PayFiP (chores): asking
// PayFiP about the orders whose notification never came, every minute, on
// any number of instances (each outcome is recorded once). Settling needs
// only the status call, so the service needs no public address.
func payfipChore(st *store.Store, cfg *config, log *slog.Logger) chore {
	return chore{"settle PayFiP orders", time.Minute, onlinePayments(st, cfg, "", log).Settle}
}

// startPayFiPSim serves the PayFiP simulator on addr for the demo and
// returns it with its base URL (REGIE_PAYFIP_URL) and a function that
// stops it.
func startPayFiPSim(addr string, log *slog.Logger) (*payfipsim.Sim, string, func(), error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", nil, fmt.Errorf("Adresse %s occupée : %w", addr, err)
	}
	sim := payfipsim.New(payfipsim.Options{Logger: log})
	srv := &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	return sim, payfipsim.BaseURL("http://" + ln.Addr().String()), func() { srv.Close(); sim.Wait() }, nil
}

// demoOnlinePayment gives the demo régie a PayFiP client number and pays
// one of Hélène Lefèvre's invoices through the simulator, before the
// server starts: the demo shows an online payment beside the counter's.
func demoOnlinePayment(ctx context.Context, path, base string, sim *payfipsim.Sim, simURL string) error {
	st, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	defer st.Close()
	svc := onlinePayments(st, &config{PayFiPURL: simURL}, base, slog.New(slog.DiscardHandler))
	_, err = payfipsim.Demo(ctx, st, svc, sim)
	return err
}
