package portal

import (
	"context"
	"net/url"

	"github.com/regie-fr/regie/server/auth"
)

// noLogin stands for the provider when none is configured: every login is
// refused with a French explanation, and the public pages work as usual.
type noLogin struct{}

var errNoLogin = &auth.LoginError{Reason: "no identity provider configured",
	Message: "La connexion à votre espace n'est pas encore ouverte sur ce portail. Vous pouvez déjà vérifier un reçu."}

func (noLogin) AuthCodeURL(context.Context, *auth.Pending) (string, error) { return "", errNoLogin }
func (noLogin) Finish(context.Context, *auth.Pending, url.Values) (*auth.Identity, error) {
	return nil, errNoLogin
}
func (noLogin) LogoutURL(context.Context, string, string) (string, error) { return "", nil }
func (noLogin) ProviderName() string                                      { return "FranceConnect" }
func (noLogin) IssuerOrigin() string                                      { return "" }

// loginReady tells whether citizens can log in.
func (p *Portal) loginReady() bool {
	_, none := p.login.(noLogin)
	return !none
}
