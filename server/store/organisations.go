package store

import (
	"context"
	"encoding/json"
	"net"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/regie-fr/regie"
)

// Organisation is a city (or any body with régies) on a server that may
// serve several: its régies, households and staff are its own, and its
// portal answers on its own address. The database keeps them apart (see
// migration 0016): the code here only chooses which one a request is for.
type Organisation struct {
	// Code names it in commands and in the database ("ville-a").
	Code string
	// Name is the city's name as citizens read it ("Ville de Montaigu");
	// empty for the organisation an upgrade made, until named.
	Name string
	// Host is the portal's and back-office's address (the request's Host,
	// lower case, no port); empty when unset.
	Host      string
	Look      Look
	CreatedAt time.Time
}

// Look is how the portal's header shows the organisation.
type Look struct {
	// Color is the primary colour, "#rrggbb"; empty: the portal's own.
	Color string `json:"color,omitempty"`
	// Header is the name in the header, when not Name ("Montaigu").
	Header string `json:"header,omitempty"`
	// Logo is the path of an image on the organisation's own address
	// ("/logo.png", served by the reverse proxy): the portal's content
	// policy loads images from its own origin only.
	Logo string `json:"logo,omitempty"`
}

var (
	orgCode  = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$`)
	hexColor = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
	logoPath = regexp.MustCompile(`^/[A-Za-z0-9._/-]{1,200}$`)
	// hostName is a DNS name as browsers send it (an IDN in its xn-- form).
	hostName = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$`)
)

// NormalHost is a Host header as organisations are found by: lower case,
// without port or the dot that may end a fully qualified name.
func NormalHost(host string) string {
	h := strings.ToLower(strings.TrimSpace(host))
	if hh, _, err := net.SplitHostPort(h); err == nil {
		h = hh
	}
	return strings.TrimSuffix(strings.Trim(h, "[]"), ".")
}

// Validate checks an organisation whole, in French.
func (o *Organisation) Validate() error {
	if !orgCode.MatchString(o.Code) {
		return regie.Errorf(regie.EInvalid, "Code d'organisation invalide : « %s » (lettres minuscules, chiffres et tirets, 32 au plus).", o.Code)
	}
	if n := utf8.RuneCountInString(o.Name); n > 80 || strings.ContainsAny(o.Name, "\r\n") || !utf8.ValidString(o.Name) {
		return regie.Errorf(regie.EInvalid, "Le nom de l'organisation doit tenir sur une ligne de 80 caractères au plus.")
	}
	if o.Host != "" && (NormalHost(o.Host) != o.Host || !hostName.MatchString(o.Host) || len(o.Host) > 253) {
		return regie.Errorf(regie.EInvalid, "Adresse invalide : « %s » (un nom d'hôte comme paiements.ville.fr, sans https:// ni port).", o.Host)
	}
	l := o.Look
	if l.Color != "" && !hexColor.MatchString(l.Color) {
		return regie.Errorf(regie.EInvalid, "Couleur invalide : « %s » (de la forme #1d4f91).", l.Color)
	}
	if utf8.RuneCountInString(l.Header) > 60 || strings.ContainsAny(l.Header, "\r\n") || !utf8.ValidString(l.Header) {
		return regie.Errorf(regie.EInvalid, "Le nom affiché en en-tête doit tenir sur une ligne de 60 caractères au plus.")
	}
	if l.Logo != "" && (!logoPath.MatchString(l.Logo) || strings.HasPrefix(l.Logo, "//") || strings.Contains(l.Logo, "..")) {
		return regie.Errorf(regie.EInvalid, "Logo invalide : « %s » (un chemin sur l'adresse de l'organisation, comme /logo.png).", l.Logo)
	}
	return nil
}

// normalise writes the host as it is looked up (a URL or an address with
// a user is refused, not cut) and validates the whole.
func (o *Organisation) normalise() error {
	if strings.ContainsAny(o.Host, "/@ ") {
		return regie.Errorf(regie.EInvalid, "Adresse invalide : « %s » (un nom d'hôte comme paiements.ville.fr, sans https:// ni port).", o.Host)
	}
	o.Host = NormalHost(o.Host)
	return o.Validate()
}

// CreateOrganisation adds an organisation; regie.EConflict when its code
// or host is taken.
func (t *Tx) CreateOrganisation(o *Organisation) error {
	if err := o.normalise(); err != nil {
		return err
	}
	if strings.TrimSpace(o.Name) == "" {
		return regie.Errorf(regie.EInvalid, "Le nom de l'organisation est obligatoire (le nom de la ville que lisent les usagers).")
	}
	if old, err := t.Organisation(o.Code); err != nil {
		return err
	} else if old != nil {
		return regie.Errorf(regie.EConflict, "L'organisation %s existe déjà.", o.Code)
	}
	if err := t.hostFree(o.Code, o.Host); err != nil {
		return err
	}
	if err := t.everyOneAHost(o); err != nil {
		return err
	}
	look, _ := json.Marshal(o.Look)
	if o.CreatedAt.IsZero() {
		o.CreatedAt = time.Now()
	}
	return wrap("create organisation", t.exec(`INSERT INTO organisations (code, name, host, look, created_at) VALUES (?, ?, ?, ?, ?)`,
		o.Code, o.Name, nullable(o.Host), string(look), dbTime(o.CreatedAt)))
}

// SaveOrganisation replaces an existing organisation's name, host and
// look (its code never changes: everything of the city names it).
func (t *Tx) SaveOrganisation(o *Organisation) error {
	if err := o.normalise(); err != nil {
		return err
	}
	if old, err := t.Organisation(o.Code); err != nil {
		return err
	} else if old == nil {
		return regie.Errorf(regie.ENotFound, "Organisation inconnue : %s.", o.Code)
	}
	if err := t.hostFree(o.Code, o.Host); err != nil {
		return err
	}
	if err := t.everyOneAHost(o); err != nil {
		return err
	}
	look, _ := json.Marshal(o.Look)
	if err := t.exec(`UPDATE organisations SET name = ?, host = ?, look = ? WHERE code = ?`,
		o.Name, nullable(o.Host), string(look), o.Code); err != nil {
		return wrap("save organisation", err)
	}
	// The portal keeps rendered pages per régie version: the header
	// changed with the organisation.
	_, err := t.nextRev()
	return err
}

func (t *Tx) hostFree(code, host string) error {
	if host == "" {
		return nil
	}
	var other string
	err := t.queryRow(`SELECT code FROM organisations WHERE host = ? AND code <> ?`, host, code).Scan(&other)
	if notFound(err) {
		return nil
	} else if err != nil {
		return wrap("organisation host", err)
	}
	return regie.Errorf(regie.EConflict, "L'adresse %s est déjà celle de l'organisation %s.", host, other)
}

// everyOneAHost refuses a state where the server serves several
// organisations and one of them has no address: the portal finds an
// organisation by its host, and a lone organisation without one is served
// on any address only while it is alone.
func (t *Tx) everyOneAHost(o *Organisation) error {
	var others, hostless int
	if err := t.queryRow(`SELECT count(*), count(*) - count(host) FROM organisations WHERE code <> ?`, o.Code).
		Scan(&others, &hostless); err != nil {
		return wrap("organisations", err)
	}
	switch {
	case others > 0 && o.Host == "":
		return regie.Errorf(regie.EInvalid, "Ce serveur sert plusieurs organisations : chacune a besoin de son adresse (--host).")
	case hostless > 0:
		var code string
		if err := t.queryRow(`SELECT code FROM organisations WHERE code <> ? AND host IS NULL ORDER BY code LIMIT 1`, o.Code).Scan(&code); err != nil {
			return wrap("organisations", err)
		}
		return regie.Errorf(regie.EInvalid, "Donnez d'abord son adresse à l'organisation %s (organisation set --code %s --host …) : avec plusieurs organisations, chacune est servie sur la sienne.", code, code)
	}
	return nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

const orgColumns = `code, name, coalesce(host, ''), look, created_at`

// Organisation reads one organisation; nil when unknown.
func (t *Tx) Organisation(code string) (*Organisation, error) {
	list, err := t.organisations(`SELECT `+orgColumns+` FROM organisations WHERE code = ?`, code)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return &list[0], nil
}

// Organisations lists every organisation by code.
func (t *Tx) Organisations() ([]Organisation, error) {
	return t.organisations(`SELECT ` + orgColumns + ` FROM organisations ORDER BY code`)
}

func (t *Tx) organisations(q string, args ...any) ([]Organisation, error) {
	rows, err := t.query(q, args...)
	if err != nil {
		return nil, wrap("organisations", err)
	}
	defer rows.Close()
	var out []Organisation
	for rows.Next() {
		var o Organisation
		var look, at string
		if err := rows.Scan(&o.Code, &o.Name, &o.Host, &look, &at); err != nil {
			return nil, wrap("organisations", err)
		}
		json.Unmarshal([]byte(look), &o.Look) // validated when written
		o.CreatedAt = parseDBTime(at)
		out = append(out, o)
	}
	return out, wrap("organisations", rows.Err())
}

// OrganisationForHost is the organisation a request's Host is for: the one
// whose host it is; or, when the server holds a single organisation with
// no host set, that one whatever the Host (a one-city install answers on
// any address, as before); nil otherwise.
func (s *Store) OrganisationForHost(ctx context.Context, host string) (*Organisation, error) {
	var o *Organisation
	err := s.View(ctx, func(t *Tx) (err error) {
		o, err = t.OrganisationForHost(host)
		return err
	})
	return o, err
}

var qOrgByHost = portalRead(`SELECT ` + orgColumns + ` FROM organisations WHERE host = ?
	UNION ALL SELECT ` + orgColumns + ` FROM organisations
	WHERE host IS NULL AND (SELECT count(*) FROM organisations) = 1`)

// OrganisationForHost: see Store.OrganisationForHost.
func (t *Tx) OrganisationForHost(host string) (*Organisation, error) {
	h := NormalHost(host)
	list, err := t.organisations(qOrgByHost, h)
	if err != nil || len(list) == 0 || h == "" && list[0].Host != "" {
		return nil, err
	}
	return &list[0], nil
}

// orgOr is the organisation a write names, or when it names none the
// server's only organisation: a server with several must be told which.
func (t *Tx) orgOr(code string) (string, error) {
	if code != "" {
		if o, err := t.Organisation(code); err != nil {
			return "", err
		} else if o == nil {
			return "", regie.Errorf(regie.ENotFound, "Organisation inconnue : %s.", code)
		}
		return code, nil
	}
	rows, err := t.query(`SELECT code FROM organisations ORDER BY code LIMIT 2`)
	if err != nil {
		return "", wrap("organisations", err)
	}
	defer rows.Close()
	var codes []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return "", wrap("organisations", err)
		}
		codes = append(codes, c)
	}
	if err := rows.Err(); err != nil {
		return "", wrap("organisations", err)
	}
	if len(codes) != 1 {
		return "", regie.Errorf(regie.EInvalid, "Ce serveur sert plusieurs organisations : précisez laquelle (--org).")
	}
	return codes[0], nil
}

// RegieOrg is the organisation of a régie; "" when the régie is unknown.
func (t *Tx) RegieOrg(code string) (string, error) {
	var org string
	err := t.queryRow(`SELECT org FROM regies WHERE code = ?`, code).Scan(&org)
	if notFound(err) {
		return "", nil
	}
	return org, wrap("regie organisation", err)
}

// HouseholdOrg is the organisation of a household; "" when unknown.
func (t *Tx) HouseholdOrg(id string) (string, error) {
	var org string
	err := t.queryRow(`SELECT org FROM households WHERE id = ?`, id).Scan(&org)
	if notFound(err) {
		return "", nil
	}
	return org, wrap("household organisation", err)
}

// OrgRegies lists the codes of an organisation's régies.
func (t *Tx) OrgRegies(org string) ([]string, error) {
	rows, err := t.query(`SELECT code FROM regies WHERE org = ? ORDER BY code`, org)
	if err != nil {
		return nil, wrap("organisation regies", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, wrap("organisation regies", err)
		}
		out = append(out, c)
	}
	return out, wrap("organisation regies", rows.Err())
}
