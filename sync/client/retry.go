package client

import (
	"context"
	"net/http"

	"github.com/go-resty/resty/v2"

	"github.com/regie-fr/regie/sync/protocol"
)

// idempotentKey marks, in a request's context, that sending the request
// twice does what sending it once does.
type idempotentKey struct{}

// idempotent says whether a sync v1 request may be sent again when its
// answer was lost. A request is resent only when this list says so, never
// because of its method alone:
//   - a GET reads;
//   - a push carries entries with their ids and hashes: the server ignores
//     those it has and answers its last seq;
//   - an enrolment sent again within store.EnrolRetryWindow with the same
//     code gets the same credential (server/credential.FromEnrolCode);
//   - a linking-slip request carries an id made by the counter: the server
//     answers the same slip for the same id.
func idempotent(method, path string) bool {
	if method == http.MethodGet {
		return true
	}
	switch path {
	case protocol.PathPush, protocol.PathEnrol, protocol.PathLinkSlips:
		return method == http.MethodPost
	}
	return false
}

// withIdempotence records in ctx whether the request may be resent.
func withIdempotence(ctx context.Context, method, path string) context.Context {
	return context.WithValue(ctx, idempotentKey{}, idempotent(method, path))
}

// retryable is resty's retry condition: resend at once only an idempotent
// request, and only when it failed on the way (no answer, a cut
// connection) or the server said it was overloaded or a proxy could not
// reach it (502, 503, 504). A 4xx is the server's word on the request
// itself and is never resent; a 500 waits for the loop's back-off.
func retryable(r *resty.Response, err error) bool {
	if r == nil || r.Request == nil {
		return false
	}
	if ok, _ := r.Request.Context().Value(idempotentKey{}).(bool); !ok {
		return false
	}
	if err != nil {
		return r.Request.Context().Err() == nil
	}
	switch r.StatusCode() {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}
