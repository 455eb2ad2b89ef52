package auth

import (
	"crypto/sha256"
	"encoding/base64"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// devAuthorizePage lets the demo's citizen pick who they are; a real
// provider would ask for a password here.
var devAuthorizePage = template.Must(template.New("authorize").Parse(`<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fournisseur d'identité de démonstration</title></head>
<body><main><h1>Fournisseur d'identité de démonstration</h1>
<p>Choisissez l'identité avec laquelle vous connecter. Ce fournisseur ne sert qu'aux démonstrations.</p>
<form method="post" action="authorize">
{{range $k, $v := .Params}}<input type="hidden" name="{{$k}}" value="{{$v}}">
{{end}}<ul>{{range .Users}}<li><button type="submit" name="login_hint" value="{{.Subject}}">{{.GivenName}} {{.FamilyName}}</button></li>
{{end}}</ul>
<button type="submit" name="cancel" value="1">Annuler</button>
</form></main></body></html>`))

// authorize checks the request like FranceConnect would (client, code
// flow, openid scope, state, nonce), then issues a code for the user named
// by login_hint, or shows the choice of users.
func (p *DevProvider) authorize(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "requête illisible", http.StatusBadRequest)
		return
	}
	f := r.Form
	redirect := f.Get("redirect_uri")
	if f.Get("client_id") != p.ClientID || !p.registered(redirect) {
		http.Error(w, "client ou redirect_uri inconnu", http.StatusBadRequest)
		return
	}
	back := func(q url.Values) {
		q.Set("state", f.Get("state"))
		sep := "?"
		if strings.Contains(redirect, "?") {
			sep = "&"
		}
		http.Redirect(w, r, redirect+sep+q.Encode(), http.StatusFound)
	}
	switch {
	case f.Get("response_type") != "code" || !hasSpace(f.Get("scope"), "openid"):
		back(url.Values{"error": {"invalid_request"}})
		return
	case f.Get("state") == "" || f.Get("nonce") == "":
		back(url.Values{"error": {"invalid_request"}, "error_description": {"state and nonce are required"}})
		return
	case f.Get("cancel") != "":
		back(url.Values{"error": {"access_denied"}})
		return
	}
	hint := f.Get("login_hint")
	if hint == "" {
		params := map[string]string{}
		for _, k := range []string{"client_id", "redirect_uri", "response_type", "scope", "state", "nonce",
			"acr_values", "code_challenge", "code_challenge_method"} {
			if v := f.Get(k); v != "" {
				params[k] = v
			}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		devAuthorizePage.Execute(w, map[string]any{"Params": params, "Users": p.Users})
		return
	}
	u, err := p.user(hint)
	if err != nil {
		back(url.Values{"error": {"access_denied"}})
		return
	}
	code := randomToken()
	p.mu.Lock()
	p.codes[code] = &devGrant{user: u, nonce: f.Get("nonce"), acr: "eidas1", redirect: redirect,
		challenge: f.Get("code_challenge"), method: f.Get("code_challenge_method"), expires: p.Now().Add(time.Minute)}
	p.mu.Unlock()
	back(url.Values{"code": {code}})
}

// token trades a code, once, for an access token and a signed ID token.
func (p *DevProvider) token(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.ParseForm() != nil {
		http.Error(w, "requête illisible", http.StatusBadRequest)
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id != p.ClientID || !sameSecret(secret, p.ClientSecret) {
		tokenError(w, http.StatusUnauthorized, "invalid_client")
		return
	}
	code := r.PostForm.Get("code")
	p.mu.Lock()
	g := p.codes[code]
	delete(p.codes, code)
	p.mu.Unlock()
	now := p.Now()
	switch {
	case r.PostForm.Get("grant_type") != "authorization_code" || g == nil || now.After(g.expires):
		tokenError(w, http.StatusBadRequest, "invalid_grant")
		return
	case r.PostForm.Get("redirect_uri") != g.redirect:
		tokenError(w, http.StatusBadRequest, "invalid_grant")
		return
	case g.challenge != "" && !pkceOK(g.challenge, r.PostForm.Get("code_verifier")):
		tokenError(w, http.StatusBadRequest, "invalid_grant")
		return
	}
	idToken, err := p.Sign(map[string]any{"iss": p.Issuer(), "sub": g.user.Subject, "aud": p.ClientID,
		"exp": now.Add(p.TokenTTL).Unix(), "iat": now.Unix(), "nonce": g.nonce, "acr": g.acr, "amr": []string{"pwd"}})
	if err != nil {
		tokenError(w, http.StatusInternalServerError, "server_error")
		return
	}
	access := randomToken()
	p.mu.Lock()
	g.expires = now.Add(time.Minute)
	p.tokens[access] = g
	p.mu.Unlock()
	writeJSON(w, map[string]any{"access_token": access, "token_type": "Bearer", "expires_in": 60, "id_token": idToken})
}

func tokenError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write([]byte(`{"error":"` + code + `"}`))
}

func pkceOK(challenge, verifier string) bool {
	sum := sha256.Sum256([]byte(verifier))
	return sameSecret(challenge, base64.RawURLEncoding.EncodeToString(sum[:]))
}

// userinfo answers with the identity as an ES256 JWT (application/jwt), as
// FranceConnect v2 does.
func (p *DevProvider) userinfo(w http.ResponseWriter, r *http.Request) {
	access, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	p.mu.Lock()
	g := p.tokens[access]
	p.mu.Unlock()
	now := p.Now()
	if !ok || g == nil || now.After(g.expires) {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		http.Error(w, "jeton invalide", http.StatusUnauthorized)
		return
	}
	u := g.user
	s, err := p.Sign(map[string]any{"iss": p.Issuer(), "aud": p.ClientID, "sub": u.Subject, "iat": now.Unix(),
		"exp": now.Add(p.TokenTTL).Unix(), "given_name": u.GivenName, "family_name": u.FamilyName,
		"birthdate": u.BirthDate, "email": u.Email})
	if err != nil {
		http.Error(w, "erreur de signature", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/jwt")
	w.Write([]byte(s))
}

// endSession checks that id_token_hint is one of the provider's ID tokens
// for this client, then sends the browser back with the state.
func (p *DevProvider) endSession(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if !p.issuedIDToken(q.Get("id_token_hint")) {
		http.Error(w, "id_token_hint invalide", http.StatusBadRequest)
		return
	}
	p.mu.Lock()
	p.logouts++
	p.mu.Unlock()
	back := q.Get("post_logout_redirect_uri")
	if back != "" && !p.registered(back) {
		http.Error(w, "post_logout_redirect_uri non enregistrée", http.StatusBadRequest)
		return
	}
	if back == "" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("Vous êtes déconnecté du fournisseur d'identité de démonstration.\n"))
		return
	}
	http.Redirect(w, r, back+"?"+url.Values{"state": {q.Get("state")}}.Encode(), http.StatusFound)
}
