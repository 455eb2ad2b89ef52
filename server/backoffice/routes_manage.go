package backoffice

import "net/http"

// routesManage is the administration of régies, their counters, agents and
// tariffs: what the command line's regie, counter, agent and tariff
// commands do, through the same store functions and rules. Every page is
// the administrator's (PermAdmin) and scoped to the régies of their grants
// (managedRegie); every change is audited in its own transaction. The
// "new" forms have addresses no code can take (codes are upper-case,
// "nouveau-…" is not).
func (b *Backoffice) routesManage(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"/regies", b.page(PermAdmin, b.regiesPage))
	mux.HandleFunc("GET "+Prefix+"/regies/nouvelle", b.page(PermAdmin, b.newRegiePage))
	mux.HandleFunc("POST "+Prefix+"/regies/nouvelle", b.form(PermAdmin, b.createRegie))
	mux.HandleFunc("GET "+Prefix+"/regies/{regie}", b.page(PermAdmin, b.regiePage))
	mux.HandleFunc("GET "+Prefix+"/regies/{regie}/modifier", b.page(PermAdmin, b.editRegiePage))
	mux.HandleFunc("POST "+Prefix+"/regies/{regie}/modifier", b.form(PermAdmin, b.updateRegie))

	mux.HandleFunc("GET "+Prefix+"/regies/{regie}/nouveau-poste", b.page(PermAdmin, b.newCounterPage))
	mux.HandleFunc("POST "+Prefix+"/regies/{regie}/nouveau-poste", b.form(PermAdmin, b.createCounter))
	mux.HandleFunc("POST "+Prefix+"/regies/{regie}/postes/{poste}/code", b.form(PermAdmin, b.newEnrolCode))
	mux.HandleFunc("GET "+Prefix+"/regies/{regie}/postes/{poste}/revoquer", b.page(PermAdmin, b.revokeCounterPage))
	mux.HandleFunc("POST "+Prefix+"/regies/{regie}/postes/{poste}/revoquer", b.form(PermAdmin, b.revokeCounter))

	mux.HandleFunc("GET "+Prefix+"/regies/{regie}/nouvel-agent", b.page(PermAdmin, b.newAgentPage))
	mux.HandleFunc("POST "+Prefix+"/regies/{regie}/nouvel-agent", b.form(PermAdmin, b.createAgent))
	mux.HandleFunc("GET "+Prefix+"/regies/{regie}/agents/{agent}", b.page(PermAdmin, b.agentPage))
	mux.HandleFunc("POST "+Prefix+"/regies/{regie}/agents/{agent}", b.form(PermAdmin, b.updateAgent))
	mux.HandleFunc("POST "+Prefix+"/regies/{regie}/agents/{agent}/code", b.form(PermAdmin, b.agentPIN))
	mux.HandleFunc("POST "+Prefix+"/regies/{regie}/agents/{agent}/etat", b.form(PermAdmin, b.agentState))

	mux.HandleFunc("GET "+Prefix+"/regies/{regie}/nouveau-tarif", b.page(PermAdmin, b.newItemPage))
	mux.HandleFunc("POST "+Prefix+"/regies/{regie}/nouveau-tarif", b.form(PermAdmin, b.createItem))
	mux.HandleFunc("GET "+Prefix+"/regies/{regie}/tarifs/{tarif}", b.page(PermAdmin, b.itemPage))
	mux.HandleFunc("POST "+Prefix+"/regies/{regie}/tarifs/{tarif}", b.form(PermAdmin, b.updateItem))
}
