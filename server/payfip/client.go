package payfip

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultBaseURL is PayFiP's production address; the web service is at
// BaseURL + "/services/securite" and the payment page at BaseURL +
// "/paiementws.web".
const DefaultBaseURL = "https://www.payfip.gouv.fr/tpa"

// ClientConfig sets up a Client.
type ClientConfig struct {
	// BaseURL is the service's base (DefaultBaseURL when empty; the
	// simulator's address for the demo and the tests).
	BaseURL string
	// Timeout bounds each call, answer read (20 s by default): the portal
	// waits on it while the citizen looks at a spinning tab.
	Timeout time.Duration
	// HTTP is the transport (a client with Timeout when nil).
	HTTP   *http.Client
	Logger *slog.Logger
}

// Client calls the PaiementSecuriseService. It keeps no state: every
// instance of the server may call it for any order.
type Client struct {
	base string
	http *http.Client
	log  *slog.Logger
}

// NewClient makes a client.
func NewClient(cfg ClientConfig) *Client {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 20 * time.Second
	}
	if cfg.HTTP == nil {
		cfg.HTTP = &http.Client{Timeout: cfg.Timeout}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Client{base: strings.TrimRight(cfg.BaseURL, "/"), http: cfg.HTTP, log: cfg.Logger}
}

// PaymentURL is the payment page a citizen is sent to for idOp.
func (c *Client) PaymentURL(idOp string) string {
	return c.base + "/paiementws.web?idop=" + url.QueryEscape(idOp)
}

// PageOrigin is the payment page's origin, which the portal's
// Content-Security-Policy lets its forms lead to.
func (c *Client) PageOrigin() string {
	u, err := url.Parse(c.base)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// Create asks for a payment (creerPaiementSecurise) and returns its idOp.
func (c *Client) Create(ctx context.Context, req *CreateRequest) (string, error) {
	body, err := createEnvelope(req)
	if err != nil {
		return "", fmt.Errorf("payfip: create: %w", err)
	}
	answer, err := c.call(ctx, "creerPaiementSecurise", body)
	if err != nil {
		return "", err
	}
	idOp, err := ParseCreateAnswer(answer)
	if err != nil {
		c.log.Warn("payfip: creerPaiementSecurise refused", "refdet", req.Refdet, "err", err)
		return "", wrapAnswer(err)
	}
	return idOp, nil
}

// Detail reads a transaction's outcome (recupererDetailPaiementSecurise).
func (c *Client) Detail(ctx context.Context, idOp string) (*Detail, error) {
	body, err := detailEnvelope(idOp)
	if err != nil {
		return nil, fmt.Errorf("payfip: detail: %w", err)
	}
	answer, err := c.call(ctx, "recupererDetailPaiementSecurise", body)
	if err != nil {
		return nil, err
	}
	d, err := ParseDetailAnswer(answer)
	if err != nil {
		return nil, wrapAnswer(err)
	}
	return d, nil
}

// wrapAnswer marks an answer that is not the service's as ErrUnavailable;
// a Fault stays what it is.
func wrapAnswer(err error) error {
	if _, ok := err.(*Fault); ok {
		return err
	}
	return fmt.Errorf("%w: %w", ErrUnavailable, err)
}

// call posts one SOAP request. A SOAP fault comes with status 500, so the
// body is read whatever the status; anything but XML is ErrUnavailable.
func (c *Client) call(ctx context.Context, op string, body []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/services/securite", bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("payfip: %s: %w", op, err)
	}
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	req.Header.Set("SOAPAction", `""`)
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		c.log.Warn("payfip: call failed", "op", op, "err", err)
		return nil, fmt.Errorf("%w: %s: %w", ErrUnavailable, op, err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: read: %w", ErrUnavailable, op, err)
	}
	c.log.Debug("payfip: call", "op", op, "status", resp.StatusCode, "bytes", len(answer), "took", time.Since(start))
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusInternalServerError {
		return nil, fmt.Errorf("%w: %s: HTTP %d", ErrUnavailable, op, resp.StatusCode)
	}
	return answer, nil
}
