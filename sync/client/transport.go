package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/sync/protocol"
)

// call sends one request to the counter's server with its credential and
// decodes the answer into out, or returns a *protocol.Error (or a
// *protocol.TooOldError) for a refusal, or the transport's error.
func (c *Client) call(ctx context.Context, p app.SyncPoint, method, path string, body, out any) error {
	r := c.http.R().SetContext(withIdempotence(ctx, method, pathOnly(path))).
		SetHeader(protocol.HeaderVersion, strconv.Itoa(protocol.Version)).
		SetHeader("Accept", "application/json")
	if p.Credential != "" {
		r.SetAuthToken(p.Credential).SetHeader(protocol.HeaderJournalHead, strconv.FormatInt(max(p.Last, 0), 10))
	}
	if body != nil {
		r.SetHeader("Content-Type", "application/json").SetBody(body)
	}
	resp, err := r.Execute(method, strings.TrimRight(p.Server, "/")+path)
	if err != nil {
		return fmt.Errorf("sync: %s %s: %w", method, path, err)
	}
	if resp.IsError() {
		e := &protocol.Error{Status: resp.StatusCode()}
		if json.Unmarshal(resp.Body(), &e.Body) != nil || e.Body.Code == "" {
			e.Body = protocol.ErrorBody{Code: strconv.Itoa(resp.StatusCode()), Message: http.StatusText(resp.StatusCode())}
		}
		if e.Body.Code == protocol.CodeTooOld {
			return &protocol.TooOldError{Version: protocol.Version, MinVersion: e.Body.MinVersion}
		}
		return refused(e)
	}
	if err := json.Unmarshal(resp.Body(), out); err != nil {
		return fmt.Errorf("sync: %s %s: unreadable answer: %w", method, path, err)
	}
	return nil
}

// Enrol trades the one-time code an administrator gave for this counter's
// credential, and records it with the server's address in the counter file.
// The first round that follows brings the régie's settings.
func (c *Client) Enrol(ctx context.Context, server, code string) (regie.Counter, error) {
	if _, err := url.ParseRequestURI(server); err != nil || !strings.HasPrefix(server, "http") {
		return regie.Counter{}, regie.Errorf(regie.EInvalid, "Adresse du serveur invalide : « %s » (https://…).", server)
	}
	var res protocol.EnrolResponse
	if err := c.call(ctx, app.SyncPoint{Server: server}, "POST", protocol.PathEnrol, protocol.EnrolRequest{Code: code}, &res); err != nil {
		_, msg := describe(err)
		return regie.Counter{}, &regie.Error{Code: regie.EBadCredentials, Message: msg}
	}
	if err := c.local.SaveEnrolment(ctx, server, res.Credential); err != nil {
		return regie.Counter{}, err
	}
	c.mu.Lock()
	c.state.Configured = true
	c.mu.Unlock()
	return res.Counter.ToRegie(), nil
}

func queryEscape(s string) string { return url.QueryEscape(s) }

// pathOnly is path without its query string.
func pathOnly(path string) string {
	p, _, _ := strings.Cut(path, "?")
	return p
}
