package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// config is the server's configuration, from (lowest first) defaults, the
// configuration file, the environment, and the command's flags.
type config struct {
	Addr      string
	DB        string
	TLSCert   string
	TLSKey    string
	LogFormat string
	// The citizen portal: its public pages always, the login when an OIDC
	// provider is set. PublicURL is the portal's address as citizens reach
	// it (REGIE_PUBLIC_URL; REGIE_BASE_URL is its older name): receipts'
	// QR codes, the provider's redirects and the forms' origin check use it.
	PublicURL string
	BaseURL   string
	// TrustedProxies are the reverse proxies (CIDR list) whose
	// X-Forwarded-For names the client.
	TrustedProxies   string
	City             string
	OIDCIssuer       string
	OIDCClientID     string
	OIDCClientSecret string
	InsecureCookies  string // "1": cookies without Secure, for http://127.0.0.1 only
	// The back-office's OpenID Connect provider for staff (ProConnect, or
	// the city's own); without it only local accounts log in.
	StaffOIDCIssuer       string
	StaffOIDCClientID     string
	StaffOIDCClientSecret string
	StaffOIDCName         string
	// StaffOIDCScopes (space-separated) default to ProConnect's "openid
	// given_name usual_name email uid"; StaffOIDCACR to ProConnect's
	// "eidas1" ("none": no level asked).
	StaffOIDCScopes string
	StaffOIDCACR    string
	// StaffOIDCEmailBinding "1" lets an identity's first login bind the
	// account that has the provider's e-mail (backoffice.Config).
	StaffOIDCEmailBinding string
	// VerifyEvery is how often serve re-checks every counter's journal
	// for the dashboard ("6h" by default, "0" for never).
	VerifyEvery string
	// PublikKeys are the Publik callers' keys, "orig1=key1,orig2=key2".
	PublikKeys string
	// PublikOrgs binds each caller to its organisation, "orig1=ville-a".
	PublikOrgs string
	// PortalRetentionMonths: months without activity after which a
	// citizen's portal account is purged (24 by default); DPO is the
	// contact of the city's data protection officer, on the privacy page.
	PortalRetentionMonths string
	DPO                   string
	PayFiPURL             string // REGIE_PAYFIP_URL: PayFiP's base (payfip.DefaultBaseURL when empty; the simulator's for a demo)
	MetricsAddr           string // REGIE_METRICS_ADDR: where /metrics listens, never the public address (empty: no metrics)
}

// settings maps each setting to its environment name.
func (c *config) settings() []struct {
	name string
	dst  *string
} {
	return []struct {
		name string
		dst  *string
	}{{"REGIE_ADDR", &c.Addr}, {"REGIE_DB", &c.DB}, {"REGIE_TLS_CERT", &c.TLSCert}, {"REGIE_TLS_KEY", &c.TLSKey},
		{"REGIE_LOG_FORMAT", &c.LogFormat}, {"REGIE_BASE_URL", &c.BaseURL}, {"REGIE_PUBLIC_URL", &c.PublicURL},
		{"REGIE_TRUSTED_PROXIES", &c.TrustedProxies}, {"REGIE_CITY", &c.City},
		{"REGIE_OIDC_ISSUER", &c.OIDCIssuer}, {"REGIE_OIDC_CLIENT_ID", &c.OIDCClientID},
		{"REGIE_OIDC_CLIENT_SECRET", &c.OIDCClientSecret}, {"REGIE_INSECURE_COOKIES", &c.InsecureCookies},
		{"REGIE_STAFF_OIDC_ISSUER", &c.StaffOIDCIssuer}, {"REGIE_STAFF_OIDC_CLIENT_ID", &c.StaffOIDCClientID},
		{"REGIE_STAFF_OIDC_CLIENT_SECRET", &c.StaffOIDCClientSecret}, {"REGIE_STAFF_OIDC_NAME", &c.StaffOIDCName},
		{"REGIE_STAFF_OIDC_SCOPES", &c.StaffOIDCScopes}, {"REGIE_STAFF_OIDC_ACR", &c.StaffOIDCACR},
		{"REGIE_STAFF_OIDC_EMAIL_BINDING", &c.StaffOIDCEmailBinding},
		{"REGIE_VERIFY_EVERY", &c.VerifyEvery},
		{"REGIE_PUBLIK_KEYS", &c.PublikKeys}, {"REGIE_PUBLIK_ORGS", &c.PublikOrgs},
		{"REGIE_PORTAL_RETENTION_MONTHS", &c.PortalRetentionMonths}, {"REGIE_DPO", &c.DPO},
		{"REGIE_PAYFIP_URL", &c.PayFiPURL}, {"REGIE_METRICS_ADDR", &c.MetricsAddr}}
}

// commonFlags declares the flags every command takes and returns a function
// that resolves the configuration once the flags are parsed.
func commonFlags(fs *flag.FlagSet, e env) func() (*config, error) {
	cfg := &config{Addr: "127.0.0.1:8080", DB: "regie-serveur.db", LogFormat: "text"}
	file := fs.String("config", "", "fichier de configuration (lignes NOM=valeur)")
	db := fs.String("db", "", "fichier de la base SQLite (REGIE_DB)")
	return func() (*config, error) {
		path := *file
		if path == "" {
			path = e.get("REGIE_CONFIG")
		}
		fromFile := map[string]string{}
		if path != "" {
			data, err := os.ReadFile(path)
			if err != nil {
				return nil, fmt.Errorf("fichier de configuration illisible : %w", err)
			}
			if fromFile, err = parseConfig(data); err != nil {
				return nil, fmt.Errorf("%s : %w", path, err)
			}
		}
		for _, s := range cfg.settings() {
			v, err := lookup(s.name, e.get, fromFile)
			if err != nil {
				return nil, err
			}
			if v != "" {
				*s.dst = v
			}
		}
		if *db != "" {
			cfg.DB = *db
		}
		return cfg, nil
	}
}

// lookup reads a setting from the environment, then from the file; NAME_FILE
// names a file holding the value, so that secrets stay out of the
// environment and the configuration file (Docker and systemd credentials).
func lookup(name string, get func(string) string, file map[string]string) (string, error) {
	for _, src := range []func(string) string{get, func(k string) string { return file[k] }} {
		if v := src(name); v != "" {
			return v, nil
		}
		if p := src(name + "_FILE"); p != "" {
			data, err := os.ReadFile(p)
			if err != nil {
				return "", fmt.Errorf("%s_FILE : %w", name, err)
			}
			return strings.TrimRight(string(data), "\r\n"), nil
		}
	}
	return "", nil
}

// parseConfig reads NAME=value lines; # starts a comment.
func parseConfig(data []byte) (map[string]string, error) {
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("ligne %d : NOM=valeur attendu", n)
		}
		out[strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `"`)
	}
	return out, sc.Err()
}

// parse parses a command's flags, reporting usage errors in French.
func parse(fs *flag.FlagSet, args []string, stderr io.Writer) bool {
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return false
	}
	if fs.NArg() > 0 && fs.Name() != "import" {
		fmt.Fprintf(stderr, "Argument inattendu : %s\n", fs.Arg(0))
		return false
	}
	return true
}
