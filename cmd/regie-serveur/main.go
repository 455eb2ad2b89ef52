// Command regie-serveur is the central server: `serve` runs the sync API
// the counters talk to; the other commands are the administrator's: régies
// and their settings, counters and their enrolment codes, agents and their
// roles, tariffs, imports from the business software, exports for the
// finance software, and verification of every counter's journal.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // the régies' time zone, whatever the host has
)

const usage = `Usage : regie-serveur COMMANDE [OPTIONS]

  demo     [--addr 127.0.0.1:8080] [--idp-addr 127.0.0.1:8081] [--staff-idp-addr 127.0.0.1:8082] [--code-file F]
           toute la chaîne de démonstration : base neuve, poste C01 à enrôler, portail et FranceConnect local
  serve    [--addr 127.0.0.1:8080] [--db FICHIER] [--tls-cert F --tls-key F] [--log-format text|json]
           [--public-url https://paiements.ville.fr] [--trusted-proxies 127.0.0.1,10.0.0.0/8] [--verify-every 6h]
           lance le serveur et le portail (la base est créée au premier démarrage)
  regie    create|update --code ENF --name NOM --modes cash,check,card [--org ville] [--address …] [--cash-ceiling 3000] [--payfip-client 123456] [--iban FR76…,…]
           [--float 150] [--deposit-days 7] [--cash-limit 300] [--partial] [--anonymous] [--timezone Europe/Paris]
  regie    list
  organisation create --code ville-b --name "Ville de B" [--host paiements.b.fr] [--color #1d4f91] [--header NOM] [--logo /logo.png]
  organisation set --code ville [--name …] [--host …] [--color …] [--header …] [--logo …]
  organisation list [--json]                          les villes servies ; regie create, staff create et import prennent --org
  counter  create --regie ENF --code C01 --name NOM    crée un poste et affiche son code d'enrôlement
  counter  code --regie ENF --code C01                 donne un nouveau code d'enrôlement (poste réinstallé)
  counter  revoke --regie ENF --code C01               révoque un poste (définitif)
  counter  list
  agent    create|update --regie ENF --login LOGIN [--name NOM] [--role regisseur|suppleant|mandataire]
           [--pin-file F] [--disable|--enable]         (code lu dans REGIE_AGENT_PIN, REGIE_AGENT_PIN_FILE ou l'entrée standard)
  agent    list --regie ENF
  tariff   set --regie ENF --code PISC --label LIBELLÉ --price 4,20 [--category C] [--inactive]
  household slip --account F001001 [--document PIÈCE] [--json]   code de rattachement à usage unique (30 jours)
  household links --account F001001 [--json]       qui a lié le foyer sur le portail
  household unlink --account F001001 --subject ID | --name "Prénom Nom"   retire l'accès d'une personne
  import   [--encoding auto|utf-8|windows-1252] FICHIER...   foyers, membres, factures (CSV « ; » ou JSON)
  export   --since 2026-11-01 [--until 2026-12-01] [--regie ENF] [--format csv|json] [--encoding utf-8|windows-1252] [--out F]
  verify                                              revérifie la chaîne du journal de chaque poste et du journal d'audit
                                                      (résultat gardé pour le tableau de bord)
  purge    [--months 24] [--json]                      efface les comptes du portail inactifs (liens, visites) ;
                                                      paiements et journaux sont conservés
  backup   --to FICHIER [--json]                       copie cohérente de la base, serveur en marche, puis relue et vérifiée
  migrate  [--check] [--json]                          applique les migrations du schéma (--check : dit seulement s'il en reste, code 1)
  copy     --from FICHIER --to postgres://… [--json]   copie une ville (fichier SQLite, serveur arrêté) dans une base PostgreSQL
                                                      vide, en une transaction, relue et vérifiée des deux côtés
  staff    create --login L --name NOM [--org ville] [--email E] --grant admin|finance[:ENF]|regisseur:ENF|suppleant:ENF …
           [--password-file F]                         compte de gestion (/gestion) ; sans mot de passe, un provisoire est tiré
  staff    grant --login L --grant … [--revoke]  |  disable|enable|password|totp-reset --login L  |  list [--org ville] [--json]

Chaque commande accepte --db FICHIER et --config FICHIER. Sans option, les réglages viennent de
l'environnement (REGIE_ADDR, REGIE_DB, REGIE_TLS_CERT, REGIE_TLS_KEY, REGIE_LOG_FORMAT, REGIE_PUBLIC_URL,
REGIE_TRUSTED_PROXIES, REGIE_OIDC_ISSUER, REGIE_OIDC_CLIENT_ID, REGIE_OIDC_CLIENT_SECRET, REGIE_VERIFY_EVERY,
REGIE_PORTAL_RETENTION_MONTHS, REGIE_DPO, REGIE_METRICS_ADDR ; pour chacun,
NOM_FILE désigne un fichier qui contient la valeur), puis du fichier de configuration (REGIE_CONFIG,
lignes NOM=valeur).
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], env{get: os.Getenv, stdin: os.Stdin}, os.Stdout, os.Stderr))
}

// env is what the commands read from the process besides their arguments,
// so that tests can give their own.
type env struct {
	get   func(string) string
	stdin io.Reader
	// ready, when set, receives the address serve listens on.
	ready chan<- string
}

// run is main without the process: it returns the exit status (0 done,
// 1 refused or failed, 2 bad usage).
func run(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return serve(ctx, rest, e, stdout, stderr)
	case "demo":
		return demo(ctx, rest, e, stdout, stderr)
	case "regie":
		return adminRegie(ctx, rest, e, stdout, stderr)
	case "organisation":
		return adminOrganisation(ctx, rest, e, stdout, stderr)
	case "counter":
		return adminCounter(ctx, rest, e, stdout, stderr)
	case "agent":
		return adminAgent(ctx, rest, e, stdout, stderr)
	case "household":
		return adminHousehold(ctx, rest, e, stdout, stderr)
	case "tariff":
		return adminTariff(ctx, rest, e, stdout, stderr)
	case "import":
		return importFiles(ctx, rest, e, stdout, stderr)
	case "export":
		return export(ctx, rest, e, stdout, stderr)
	case "verify":
		return verify(ctx, rest, e, stdout, stderr)
	case "purge":
		return purge(ctx, rest, e, stdout, stderr)
	case "backup":
		return backup(ctx, rest, e, stdout, stderr)
	case "migrate":
		return migrate(ctx, rest, e, stdout, stderr)
	case "copy":
		return copyCity(ctx, rest, e, stdout, stderr)
	case "staff":
		return adminStaff(ctx, rest, e, stdout, stderr)
	case "admin":
		// "admin staff …" is "staff …", as the back-office's guide names it.
		if len(rest) > 0 && rest[0] == "staff" {
			return adminStaff(ctx, rest[1:], e, stdout, stderr)
		}
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "Commande inconnue : %s\n%s", cmd, usage)
	return 2
}
