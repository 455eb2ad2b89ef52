package client_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fault is what the proxy does to one request.
type fault int

const (
	pass          fault = iota
	dropRequest         // cut the connection before the server sees the request
	dropResponse        // forward, let the server commit, cut before the answer
	truncate            // forward, then send half of the answer and cut
	status500           // answer 500 without forwarding
	status503           // answer 503 without forwarding
	slowResponse        // forward, then hold the answer past the client's timeout
	restartServer       // forward while the server is stopped and restarted
)

// proxy stands between the counters and the server and misbehaves on
// purpose, one fault per request from its queue, then passes everything.
type proxy struct {
	t      *testing.T
	srv    *server
	delay  time.Duration
	mu     sync.Mutex
	faults []fault
	seen   map[fault]int
	http   *httptest.Server
}

func newProxy(t *testing.T, srv *server, delay time.Duration, faults ...fault) *proxy {
	p := &proxy{t: t, srv: srv, delay: delay, faults: faults, seen: map[fault]int{}}
	p.http = httptest.NewServer(p)
	t.Cleanup(p.http.Close)
	return p
}

func (p *proxy) next(r *http.Request) fault {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.faults) == 0 || !strings.Contains(r.URL.Path, "/push") && !strings.Contains(r.URL.Path, "/pull") {
		return pass
	}
	f := p.faults[0]
	p.faults = p.faults[1:]
	p.seen[f]++
	return f
}

func (p *proxy) left() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.faults)
}

func (p *proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f := p.next(r)
	switch f {
	case status500:
		http.Error(w, "panne", http.StatusInternalServerError)
		return
	case status503:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "<h1>503 Service Unavailable</h1>")
		return
	case dropRequest:
		cut(w, nil)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		cut(w, nil)
		return
	}
	type answer struct {
		resp *http.Response
		body []byte
		err  error
	}
	done := make(chan answer, 1)
	go func() {
		req, _ := http.NewRequest(r.Method, p.srv.url()+r.URL.RequestURI(), bytes.NewReader(body))
		req.Header = r.Header.Clone()
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			done <- answer{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		done <- answer{resp, b, err}
	}()
	if f == restartServer {
		time.Sleep(time.Millisecond) // let the request reach the server
		p.srv.restart()
	}
	a := <-done
	if a.err != nil {
		cut(w, nil)
		return
	}
	switch f {
	case dropResponse:
		cut(w, nil)
		return
	case truncate:
		cut(w, func(c io.Writer) {
			fmt.Fprintf(c, "HTTP/1.1 %d OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", a.resp.StatusCode, len(a.body))
			c.Write(a.body[:len(a.body)/2])
		})
		return
	case slowResponse:
		time.Sleep(p.delay)
	}
	for k, v := range a.resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(a.resp.StatusCode)
	w.Write(a.body)
}

// cut takes the connection over, writes what write writes, and closes it.
func cut(w http.ResponseWriter, write func(io.Writer)) {
	conn, buf, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	if write != nil {
		write(buf)
		buf.Flush()
	}
	conn.Close()
}
