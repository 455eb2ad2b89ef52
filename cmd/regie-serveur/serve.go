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
	"time"

	"github.com/regie-fr/regie/server/store"
)

// serve runs the server until ctx is done (SIGINT or SIGTERM), then stops
// taking requests, lets those in flight finish (30 s at most) and closes the
// database. TLS is optional: the usual set-up is a reverse proxy that holds
// the certificate in front of a server listening on 127.0.0.1.
func serve(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	resolve := commonFlags(fs, e)
	addr := fs.String("addr", "", "adresse d'écoute (REGIE_ADDR, 127.0.0.1:8080 par défaut)")
	cert := fs.String("tls-cert", "", "certificat TLS (REGIE_TLS_CERT)")
	key := fs.String("tls-key", "", "clé TLS (REGIE_TLS_KEY)")
	format := fs.String("log-format", "", "journal du serveur : text ou json (REGIE_LOG_FORMAT)")
	public := fs.String("public-url", "", "adresse publique du portail, https://paiements.ville.fr (REGIE_PUBLIC_URL)")
	proxies := fs.String("trusted-proxies", "", "mandataires inverses de confiance, réseaux CIDR séparés par des virgules (REGIE_TRUSTED_PROXIES)")
	verifyEvery := fs.String("verify-every", "", "période de la vérification des journaux des postes, 6h par défaut, 0 pour aucune (REGIE_VERIFY_EVERY)")
	if !parse(fs, args, stderr) {
		return 2
	}
	cfg, err := resolve()
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	for _, f := range []struct{ flag, dst *string }{{addr, &cfg.Addr}, {cert, &cfg.TLSCert}, {key, &cfg.TLSKey}, {format, &cfg.LogFormat},
		{public, &cfg.PublicURL}, {proxies, &cfg.TrustedProxies}, {verifyEvery, &cfg.VerifyEvery}} {
		if *f.flag != "" {
			*f.dst = *f.flag
		}
	}
	if _, err := verifyPeriod(cfg.VerifyEvery); err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	if (cfg.TLSCert == "") != (cfg.TLSKey == "") {
		fmt.Fprintln(stderr, "TLS : donnez le certificat et la clé, ou ni l'un ni l'autre.")
		return 2
	}
	return serveWith(ctx, cfg, e, stderr)
}

// serveWith runs the server on a resolved configuration.
func serveWith(ctx context.Context, cfg *config, e env, stderr io.Writer) int {
	var h slog.Handler = slog.NewTextHandler(stderr, nil)
	if cfg.LogFormat == "json" {
		h = slog.NewJSONHandler(stderr, nil)
	}
	log := slog.New(h)

	st, err := store.Open(ctx, cfg.DB)
	if err != nil {
		log.Error("open database", "db", store.Redact(cfg.DB), "err", err)
		return 1
	}
	defer st.Close()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		log.Error("listen", "addr", cfg.Addr, "err", err)
		return 1
	}
	handler, err := routes(ctx, st, cfg, log)
	if err != nil {
		log.Error("portal", "err", err)
		fmt.Fprintf(stderr, "Portail mal configuré : %v\n", err)
		return 2
	}
	if handler, err = startMetrics(ctx, cfg, st, handler, log); err != nil {
		log.Error("listen metrics", "addr", cfg.MetricsAddr, "err", err)
		return 1
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		// Far above the portal's own limit (portal.Config.MaxHeaderBytes),
		// which answers a large header with a French page: Go's answer at
		// this limit is plain English and comes before any handler.
		MaxHeaderBytes: 1 << 20,
		ReadTimeout:    2 * time.Minute,
		WriteTimeout:   5 * time.Minute,
		IdleTimeout:    2 * time.Minute,
		ErrorLog:       slog.NewLogLogger(h, slog.LevelWarn),
	}
	done := make(chan error, 1)
	go func() {
		if cfg.TLSCert != "" {
			done <- srv.ServeTLS(ln, cfg.TLSCert, cfg.TLSKey)
		} else {
			done <- srv.Serve(ln)
		}
	}()
	every, _ := verifyPeriod(cfg.VerifyEvery)
	go verifyLoop(ctx, st, verifyDelay, every, log)
	months, _ := retentionMonths(cfg.PortalRetentionMonths)
	runChores(ctx, append(chores(st), purgeChore(st, months), payfipChore(st, cfg, log)), log)
	log.Info("serving", "addr", ln.Addr().String(), "db", store.Redact(cfg.DB), "store_id", st.ID(), "tls", cfg.TLSCert != "")
	if e.ready != nil {
		e.ready <- ln.Addr().String()
	}
	select {
	case err := <-done:
		log.Error("serve", "err", err)
		return 1
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		log.Error("shutdown", "err", err)
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Error("serve", "err", err)
	}
	log.Info("stopped")
	return 0
}
