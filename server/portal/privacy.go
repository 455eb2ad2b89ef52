package portal

import (
	"net/http"
	"strings"
)

// Privacy is what the privacy notice says that only the city knows.
type Privacy struct {
	// DPO is how to reach the city's data protection officer: an e-mail
	// address, a web address or a postal address.
	DPO string
	// RetentionMonths is how long a citizen's portal account (links,
	// visits) is kept without activity: the purge's setting
	// (REGIE_PORTAL_RETENTION_MONTHS), 24 when unset.
	RetentionMonths int
}

// privacyData is the notice's variable parts, formatted.
type privacyData struct {
	Months int
	// DPOMail and DPOURL are set when the contact is an e-mail address or
	// a web address, for a link; DPO is shown as written otherwise.
	DPO, DPOMail, DPOURL string
}

// privacy is the privacy notice (informations sur le traitement des
// données personnelles, RGPD articles 13 and 14): who is responsible,
// why, on what legal basis, what is kept and how long, who receives it,
// FranceConnect's role, and the citizen's rights.
func (p *Portal) privacy(w http.ResponseWriter, r *http.Request) {
	d := &privacyData{Months: p.cfg.Privacy.RetentionMonths, DPO: strings.TrimSpace(p.cfg.Privacy.DPO)}
	if d.Months <= 0 {
		d.Months = 24
	}
	switch {
	case strings.HasPrefix(d.DPO, "https://") || strings.HasPrefix(d.DPO, "http://"):
		d.DPOURL = d.DPO
	case strings.Contains(d.DPO, "@") && !strings.ContainsAny(d.DPO, " \t<>\"'"):
		d.DPOMail = "mailto:" + d.DPO
	}
	p.render(w, http.StatusOK, "privacy", p.newView(p.visitor(r), "Données personnelles", "confidentialite", d))
}
