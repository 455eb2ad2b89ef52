package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// LoginError is why a login failed: Reason in English for the server's log
// (never any personal data), Message in French for the citizen.
type LoginError struct {
	Reason  string
	Message string
}

func (e *LoginError) Error() string { return "auth: login refused: " + e.Reason }

// providerErrors words the errors a provider may send back to the callback
// (RFC 6749 §4.1.2.1, OpenID Connect Core §3.1.2.6).
var providerErrors = map[string]string{
	"access_denied":             "Vous avez annulé la connexion avec %s : vous n'êtes pas connecté.",
	"login_required":            "%s demande que vous vous identifiiez à nouveau.",
	"consent_required":          "Vous n'avez pas accepté de transmettre vos informations : la connexion n'a pas abouti.",
	"interaction_required":      "%s demande une action de votre part : recommencez la connexion.",
	"temporarily_unavailable":   "%s est momentanément indisponible. Réessayez dans quelques minutes.",
	"server_error":              "%s a rencontré une erreur. Réessayez dans quelques minutes.",
	"invalid_scope":             "Le portail a demandé des informations que %s refuse de transmettre. Prévenez la mairie.",
	"invalid_request":           "La demande de connexion a été refusée par %s. Prévenez la mairie si cela se reproduit.",
	"unauthorized_client":       "Ce portail n'est pas autorisé par %s. Prévenez la mairie.",
	"unsupported_response_type": "La demande de connexion a été refusée par %s. Prévenez la mairie.",
}

func (o *OIDC) refuse(reason, format string) *LoginError {
	msg := format
	if strings.Contains(format, "%s") {
		msg = fmt.Sprintf(format, o.cfg.ProviderName)
	}
	return &LoginError{Reason: reason, Message: msg}
}

// Finish completes a login from the callback's query: it checks state,
// trades the code for tokens, verifies the ID token (signature from the
// provider's keys, issuer, audience, expiry, nonce, acr), then fetches the
// userinfo answer, which must be a JWT signed by the provider for the same
// subject. p is the session's pending login; the caller forgets it
// whatever the outcome, so a state is never accepted twice.
func (o *OIDC) Finish(ctx context.Context, p *Pending, q url.Values) (*Identity, error) {
	if p == nil || !sameSecret(q.Get("state"), p.State) {
		return nil, o.refuse("unknown or replayed state",
			"Cette demande de connexion a expiré ou a déjà été utilisée. Recommencez la connexion avec %s.")
	}
	if code := q.Get("error"); code != "" {
		format, ok := providerErrors[code]
		if !ok {
			format = "%s a refusé la connexion. Réessayez, et prévenez la mairie si cela se reproduit."
		}
		return nil, o.refuse("provider error "+safeCode(code), format)
	}
	if err := o.discover(ctx); err != nil {
		return nil, err
	}
	code := q.Get("code")
	if code == "" {
		return nil, o.refuse("no code", "La réponse de %s est incomplète. Recommencez la connexion.")
	}
	opts := []oauth2.AuthCodeOption{}
	if p.RedirectURL != "" {
		opts = append(opts, oauth2.SetAuthURLParam("redirect_uri", p.RedirectURL))
	}
	if o.cfg.PKCE {
		opts = append(opts, oauth2.VerifierOption(p.Verifier))
	}
	cctx := o.clientContext(ctx)
	tok, err := o.oauth.Exchange(cctx, code, opts...)
	if err != nil {
		return nil, o.refuse("token exchange: "+err.Error(),
			"%s n'a pas confirmé la connexion (code refusé ou expiré). Recommencez la connexion.")
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return nil, o.refuse("no id_token", "La réponse de %s ne contient pas d'identité. Recommencez la connexion.")
	}
	idt, err := o.idVerifier.Verify(cctx, raw)
	if err != nil {
		var exp *oidc.TokenExpiredError
		if errors.As(err, &exp) {
			return nil, o.refuse("id token expired", "La réponse de %s a expiré. Recommencez la connexion.")
		}
		return nil, o.refuse("id token: "+err.Error(),
			"La réponse de %s n'a pas pu être vérifiée (signature ou émetteur invalide) : vous n'êtes pas connecté.")
	}
	if !sameSecret(idt.Nonce, p.Nonce) {
		return nil, o.refuse("nonce mismatch",
			"La réponse de %s ne correspond pas à votre demande de connexion : vous n'êtes pas connecté.")
	}
	var claims struct {
		ACR string `json:"acr"`
	}
	if err := idt.Claims(&claims); err != nil {
		return nil, o.refuse("id token claims: "+err.Error(), "La réponse de %s est illisible.")
	}
	if o.cfg.ACRValues != "" && !hasSpace(o.cfg.ACRValues, claims.ACR) {
		return nil, o.refuse("acr "+safeCode(claims.ACR)+" not requested",
			"Le niveau d'authentification transmis par %s ne convient pas à ce portail.")
	}
	id, err := o.userinfo(cctx, tok, idt.Subject)
	if err != nil {
		return nil, err
	}
	id.ACR, id.IDToken = claims.ACR, raw
	return id, nil
}

// userinfo fetches the citizen's identity. FranceConnect v2 answers with a
// JWT signed like the ID token: a plain JSON answer, or a JWT that does not
// verify, is refused.
func (o *OIDC) userinfo(ctx context.Context, tok *oauth2.Token, subject string) (*Identity, error) {
	bad := func(reason string) (*Identity, error) {
		return nil, o.refuse("userinfo: "+reason,
			"Les informations transmises par %s n'ont pas pu être vérifiées : vous n'êtes pas connecté.")
	}
	endpoint := o.provider.UserInfoEndpoint()
	if endpoint == "" {
		return bad("no endpoint")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint, nil)
	if err != nil {
		return bad(err.Error())
	}
	tok.SetAuthHeader(req)
	resp, err := o.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, o.refuse("userinfo: "+err.Error(), "%s est injoignable pour le moment. Réessayez dans quelques minutes.")
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return bad(err.Error())
	}
	if resp.StatusCode != http.StatusOK {
		return bad(resp.Status)
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != "application/jwt" {
		return bad("not a signed JWT (" + safeCode(mt) + ")")
	}
	t, err := o.uiVerifier.Verify(ctx, strings.TrimSpace(string(body)))
	if err != nil {
		return bad(err.Error())
	}
	if t.Subject != subject {
		return bad("subject differs from the ID token's")
	}
	var c struct {
		GivenName  string `json:"given_name"`
		FamilyName string `json:"family_name"`
		BirthDate  string `json:"birthdate"`
		Email      string `json:"email"`
	}
	if err := t.Claims(&c); err != nil {
		return bad(err.Error())
	}
	return &Identity{Subject: t.Subject, GivenName: c.GivenName, FamilyName: c.FamilyName, BirthDate: c.BirthDate, Email: c.Email}, nil
}

// safeCode keeps what a provider sent short and printable before it goes
// to a log line.
func safeCode(s string) string {
	if len(s) > 40 {
		s = s[:40]
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return '?'
		}
		return r
	}, s)
}
