package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/regie-fr/regie/server/backoffice"
	"github.com/regie-fr/regie/server/publik"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/sync/protocol"
)

// metrics serves /metrics (Prometheus text exposition) on a listen address
// of its own, cfg.MetricsAddr, so that the reverse proxy that publishes the
// server never publishes it; empty, there is no /metrics at all.
//
// Two kinds of figures: the counters of this process (HTTP requests, pushes
// and their latency), which Prometheus sums over the instances as it does
// for any service (per-instance counters are how Prometheus works, and
// nothing is decided on them: rule 11 holds), and the gauges read from the
// database at each scrape (entries stored, counters behind, PayFiP orders
// waiting), the same whichever instance is asked.
type metrics struct {
	requests *prometheus.CounterVec
	pushes   *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

// startMetrics starts the metrics listener when cfg.MetricsAddr is set and
// returns h wrapped to count its requests; it stops with ctx.
func startMetrics(ctx context.Context, cfg *config, st *store.Store, h http.Handler, log *slog.Logger) (http.Handler, error) {
	if cfg.MetricsAddr == "" {
		return h, nil
	}
	ln, err := net.Listen("tcp", cfg.MetricsAddr)
	if err != nil {
		return nil, err
	}
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "regie_http_requests_total",
			Help: "HTTP requests answered by this instance, by area and status."}, []string{"area", "status"}),
		pushes: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "regie_sync_pushes_total",
			Help: "Counters' pushes answered by this instance: accepted, or refused with the refusal's code."}, []string{"result", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "regie_sync_push_duration_seconds",
			Help:    "Time to answer a counter's push, by result.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}}, []string{"result"}),
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(m.requests, m.pushes, m.latency, &storeCollector{st: st},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelError)}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: time.Minute}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics", "err", err)
		}
	}()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	log.Info("metrics", "addr", ln.Addr().String())
	return m.wrap(h), nil
}

// area names the part of the server a request is for, a small fixed set
// so that the label never grows with what clients send.
func area(path string) string {
	switch {
	case strings.HasPrefix(path, protocol.Prefix+"/"):
		return "sync"
	case strings.HasPrefix(path, publik.Prefix):
		return "publik"
	case path == backoffice.Prefix || strings.HasPrefix(path, backoffice.Prefix+"/"):
		return "gestion"
	case strings.HasPrefix(path, "/payfip/"):
		return "payfip"
	case path == "/healthz":
		return "health"
	case strings.HasPrefix(path, "/api/"):
		return "api"
	}
	return "portal"
}

// wrap counts every request; a push is also timed and, when refused,
// counted under the code of the refusal the counter got.
func (m *metrics) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		push := r.Method == http.MethodPost && r.URL.Path == protocol.PathPush
		rw := &statusWriter{ResponseWriter: w, keep: push}
		start := time.Now()
		h.ServeHTTP(rw, r)
		status := rw.status
		if status == 0 {
			status = http.StatusOK
		}
		m.requests.WithLabelValues(area(r.URL.Path), strconv.Itoa(status)).Inc()
		if !push {
			return
		}
		result, code := "accepted", ""
		if status >= 300 {
			result, code = "refused", strconv.Itoa(status)
			var body protocol.ErrorBody
			if json.Unmarshal(rw.body.Bytes(), &body) == nil && validCode(body.Code) {
				code = body.Code
			}
		}
		m.pushes.WithLabelValues(result, code).Inc()
		m.latency.WithLabelValues(result).Observe(time.Since(start).Seconds())
	})
}

// validCode keeps the refusal codes the server writes (short lower-case
// words) and nothing a response could carry beyond them.
func validCode(c string) bool {
	if c == "" || len(c) > 40 {
		return false
	}
	for _, r := range c {
		if (r < 'a' || r > 'z') && r != '_' && r != '-' {
			return false
		}
	}
	return true
}

// statusWriter notes the status and, for a refused push, the start of the
// error body (the refusal's JSON is small).
type statusWriter struct {
	http.ResponseWriter
	status int
	keep   bool
	body   bytes.Buffer
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if w.keep && w.status >= 300 && w.body.Len() < 4096 {
		w.body.Write(p[:min(len(p), 4096-w.body.Len())])
	}
	return w.ResponseWriter.Write(p)
}

// Unwrap gives the server's own writer (http.ResponseController).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// storeCollector reads the database's gauges at each scrape.
type storeCollector struct{ st *store.Store }

var (
	journalEntriesDesc = prometheus.NewDesc("regie_journal_entries", "Journal entries the server holds, by counter.", []string{"regie", "counter"}, nil)
	descBehind         = prometheus.NewDesc("regie_counter_entries_behind",
		"Entries a counter last said it holds that the server has not received yet (counters that report their head).", []string{"regie", "counter"}, nil)
	descWaiting   = prometheus.NewDesc("regie_payfip_orders_waiting", "PayFiP orders still waiting for their outcome.", nil, nil)
	descAnomalies = prometheus.NewDesc("regie_payfip_orders_anomaly", "PayFiP orders whose outcome needs the régisseur.", nil, nil)
)

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{journalEntriesDesc, descBehind, descWaiting, descAnomalies} {
		ch <- d
	}
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	g, err := c.st.OpsGauges(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(journalEntriesDesc, err)
		return
	}
	for _, k := range g.Counters {
		ch <- prometheus.MustNewConstMetric(journalEntriesDesc, prometheus.GaugeValue, float64(k.Entries), k.Regie, k.Code)
		if k.Reported {
			ch <- prometheus.MustNewConstMetric(descBehind, prometheus.GaugeValue, float64(k.Behind), k.Regie, k.Code)
		}
	}
	ch <- prometheus.MustNewConstMetric(descWaiting, prometheus.GaugeValue, float64(g.PayFiPWaiting))
	ch <- prometheus.MustNewConstMetric(descAnomalies, prometheus.GaugeValue, float64(g.PayFiPAnomalies))
}
