package payfipsim

import (
	"html/template"
	"net/http"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/payfip"
)

// Choices are the page's buttons: the value each posts, its label and the
// result it gives.
var Choices = []struct {
	Value, Label string
	Result       payfip.Result
}{
	{"carte", "Payer par carte", payfip.PaidCard},
	{"prelevement", "Payer par prélèvement", payfip.PaidDebit},
	{"refus", "Refuser", payfip.RefusedCard},
	{"annulation", "Annuler", payfip.CancelledCard},
}

var pageTmpl = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} – PayFiP (simulateur)</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
button{font-size:1rem;padding:.6rem 1rem;margin:.3rem .3rem .3rem 0}dt{font-weight:bold}.sim{background:#fff4d6;padding:.5rem}</style>
</head><body><main>
<p class="sim">Simulateur PayFiP : aucun paiement réel n'a lieu.</p>
<h1>{{.Title}}</h1>
{{if .Error}}<p role="alert">{{.Error}}</p>{{end}}
{{with .Order}}<dl><dt>Référence</dt><dd>{{.Refdet}}</dd><dt>Objet</dt><dd>{{.Objet}}</dd><dt>Montant</dt><dd>{{$.Amount}}</dd><dt>Adresse électronique</dt><dd>{{.Mel}}</dd></dl>{{end}}
{{if .Choose}}<form method="post" action="{{.Action}}"><input type="hidden" name="idop" value="{{.IdOp}}">
{{range .Choices}}<button type="submit" name="choix" value="{{.Value}}">{{.Label}}</button>
{{end}}</form>{{end}}
{{if .Back}}<form method="post" action="{{.Back}}"><input type="hidden" name="idop" value="{{.IdOp}}">
<button type="submit">Retourner sur le site de la collectivité</button></form>{{end}}
</main></body></html>
`))

type pageData struct {
	Title, Error, IdOp, Action string
	Back                       template.URL
	Order                      *payfip.CreateRequest
	Amount                     string
	Choose                     bool
	Choices                    any
}

// page shows the payment page of ?idop=.
func (s *Sim) page(w http.ResponseWriter, r *http.Request) {
	idOp := r.URL.Query().Get("idop")
	req, result, ok := s.Order(idOp)
	if !ok {
		s.render(w, http.StatusNotFound, &pageData{Title: "Paiement introuvable", Error: "Cette demande de paiement n'existe pas ou a expiré."})
		return
	}
	d := &pageData{Title: "Paiement en ligne", IdOp: idOp, Action: r.URL.Path, Order: &req, Amount: regie.Money(req.Montant).String(),
		Choose: result == "", Choices: Choices}
	if result != "" {
		d.Title, d.Back = outcomeTitle(result), template.URL(req.URLRedirect)
	}
	s.render(w, http.StatusOK, d)
}

// choose records the payer's choice and shows the way back to the régie.
func (s *Sim) choose(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	idOp, choice := r.PostFormValue("idop"), r.PostFormValue("choix")
	var result payfip.Result
	for _, c := range Choices {
		if c.Value == choice {
			result = c.Result
		}
	}
	if result == "" {
		s.render(w, http.StatusBadRequest, &pageData{Title: "Choix inconnu", Error: "Choisissez l'un des boutons de la page de paiement."})
		return
	}
	back, err := s.Pay(idOp, result)
	if err != nil {
		s.render(w, http.StatusNotFound, &pageData{Title: "Paiement introuvable", Error: "Cette demande de paiement n'existe pas ou a expiré."})
		return
	}
	req, final, _ := s.Order(idOp)
	s.render(w, http.StatusOK, &pageData{Title: outcomeTitle(final), IdOp: idOp, Order: &req,
		Amount: regie.Money(req.Montant).String(), Back: template.URL(back)})
}

func outcomeTitle(r payfip.Result) string {
	switch {
	case r.Paid():
		return "Paiement accepté"
	case r.Refused():
		return "Paiement refusé"
	}
	return "Paiement annulé"
}

func (s *Sim) render(w http.ResponseWriter, status int, d *pageData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := pageTmpl.Execute(w, d); err != nil {
		s.opt.Logger.Error("payfipsim: page", "err", err)
	}
}
