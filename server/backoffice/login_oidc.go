package backoffice

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/regie-fr/regie/server/auth"
	"github.com/regie-fr/regie/server/store"
)

// ProConnectScopes are what the back-office asks ProConnect for: the
// agent's names, professional e-mail and the administration's own id.
var ProConnectScopes = []string{"openid", "given_name", "usual_name", "email", "uid"}

// oidcStart sends the browser to the provider; the login in flight (state,
// nonce, PKCE verifier) is sealed in the back-office's own login cookie.
func (b *Backoffice) oidcStart(w http.ResponseWriter, r *http.Request) {
	if b.login == nil {
		b.notFound(w, r)
		return
	}
	p := auth.NewPending(b.cfg.Now())
	if origin, base := b.originOf(r); origin != b.origin {
		p.RedirectURL = base + Prefix + "/connexion/retour" // back to this city's address
	}
	u, err := b.login.AuthCodeURL(r.Context(), p)
	if err != nil {
		b.loginFail(w, r, http.StatusBadGateway, "", loginMessage(err))
		return
	}
	if err := b.pending.Set(w, p); err != nil {
		b.internal(w, r, nil, "oidc start", err)
		return
	}
	http.Redirect(w, r, u, http.StatusSeeOther)
}

func loginMessage(err error) string {
	var le *auth.LoginError
	if errors.As(err, &le) {
		return le.Message
	}
	return "La connexion n'a pas abouti. Réessayez dans quelques minutes."
}

// oidcCallback finishes the login. The identity (issuer and subject) must
// be bound to an enabled account: by an administrator, or — only when
// Config.OIDCEmailBinding says the provider vouches for e-mails — at its
// first login to the one enabled account without identity whose e-mail is
// the provider's. Nothing else creates or binds an account.
func (b *Backoffice) oidcCallback(w http.ResponseWriter, r *http.Request) {
	if b.login == nil {
		b.notFound(w, r)
		return
	}
	id, err := b.login.Finish(r.Context(), b.pending.Take(w, r), r.URL.Query())
	if err != nil {
		b.log.Info("backoffice: oidc refused", "err", err)
		b.loginFail(w, r, http.StatusUnauthorized, "", loginMessage(err))
		return
	}
	issuer, client := b.login.Issuer(), b.clientAddr(r)
	var st *store.Staff
	var second bool
	err = b.st.Update(r.Context(), func(tx *store.Tx) error {
		st, second = nil, false
		found, err := tx.StaffByOIDC(issuer, id.Subject)
		if err != nil {
			return err
		}
		if found != nil && found.Org != hostOrg(r) {
			found = nil // another organisation's account: unknown here
		}
		if found == nil && b.cfg.OIDCEmailBinding {
			if found, err = b.bindByEmail(tx, hostOrg(r), issuer, id, client); err != nil {
				return err
			}
		}
		if found == nil || found.Disabled {
			who := &visit{staff: &store.Staff{}, client: client, org: hostOrg(r)}
			if found != nil {
				who.staff = found
			}
			return b.audit(tx, who, "login.oidc_refused", "", "", map[string]string{"issuer": issuer, "subject": id.Subject})
		}
		st, second = found, !needsSecondFactor(found)
		who := &visit{staff: st, client: client}
		if second {
			if err := tx.StaffLoginSucceeded(st.ID); err != nil {
				return err
			}
		}
		if err := b.audit(tx, who, "login.oidc", "", st.Login, map[string]bool{"code_attendu": !second}); err != nil {
			return err
		}
		return b.startSession(w, r, tx, st, second, id.IDToken)
	})
	switch {
	case err != nil:
		b.internal(w, r, nil, "oidc login", err)
	case st == nil:
		b.loginFail(w, r, http.StatusForbidden, "", fmt.Sprintf("Votre identité %s n'est liée à aucun compte de gestion actif. "+
			"Pour y accéder, transmettez à l'administrateur votre identifiant de connexion : %s", b.login.ProviderName(), id.Subject))
	case !second:
		http.Redirect(w, r, Prefix+"/connexion/code", http.StatusSeeOther)
	default:
		http.Redirect(w, r, Prefix+"/", http.StatusSeeOther)
	}
}

// bindByEmail binds the identity to the one enabled account without an
// identity whose e-mail is the one the provider sent (case aside); nil
// when there is not exactly one.
func (b *Backoffice) bindByEmail(tx *store.Tx, org, issuer string, id *auth.Identity, client string) (*store.Staff, error) {
	email := strings.TrimSpace(id.Email)
	if email == "" || id.Subject == "" {
		return nil, nil
	}
	all, err := tx.StaffList(org)
	if err != nil {
		return nil, err
	}
	var match []store.Staff
	for _, s := range all {
		if strings.EqualFold(s.Email, email) {
			match = append(match, s)
		}
	}
	if len(match) != 1 || match[0].Disabled || match[0].OIDCSubject != "" {
		return nil, nil
	}
	st := &match[0]
	st.OIDCIssuer, st.OIDCSubject = issuer, id.Subject
	if err := tx.SaveStaff(st, b.cfg.Now()); err != nil {
		return nil, err
	}
	return st, b.audit(tx, &visit{staff: st, client: client}, "staff.oidc_bind", "", st.Login,
		map[string]string{"issuer": issuer, "subject": id.Subject, "par": "adresse électronique"})
}
