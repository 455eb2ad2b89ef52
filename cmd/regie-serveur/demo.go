package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/auth"
	"github.com/regie-fr/regie/server/credential"
	"github.com/regie-fr/regie/server/demoserver"
	"github.com/regie-fr/regie/server/store"
)

// demoCitizens are the people of the demo identity provider. Hélène
// Lefèvre is the adult registered on the demo household F001001 (access
// code K7Q101X, born 12/05/1984): she links it with the code alone.
// Thomas Nguyen likewise holds F001002 (K7Q102X). Julien Lefèvre is not
// registered on F001001: the code is refused to him, and he links with the
// linking slip the demo prints, as a counter would after checking his
// identity document.
var demoCitizens = []auth.DevUser{
	{Subject: "fc-hlefevre", GivenName: "Hélène", FamilyName: "Lefèvre", BirthDate: "1984-05-12", Email: "helene.lefevre@example.fr"},
	{Subject: "fc-tnguyen", GivenName: "Thomas", FamilyName: "Nguyen", BirthDate: "1984-05-12", Email: "thomas.nguyen@example.fr"},
	{Subject: "fc-jlefevre", GivenName: "Julien", FamilyName: "Lefèvre", BirthDate: "1982-11-23", Email: "julien.lefevre@example.fr"},
}

// demo runs the whole chain on one machine: a fresh server database with
// the demo régie, a counter C01 waiting for its enrolment, a local OpenID
// Connect provider standing in for FranceConnect, and the portal.
func demo(ctx context.Context, args []string, e env, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "adresse du serveur et du portail")
	idpAddr := fs.String("idp-addr", "127.0.0.1:8081", "adresse du fournisseur d'identité de démonstration")
	dir := fs.String("dir", filepath.Join(os.TempDir(), "regie-demo"), "dossier des fichiers de démonstration")
	staffIdpAddr := fs.String("staff-idp-addr", "127.0.0.1:8082", "adresse du ProConnect de démonstration (agents)")
	payfipAddr := fs.String("payfip-addr", "127.0.0.1:8083", "adresse du simulateur PayFiP de démonstration")
	codeFile := fs.String("code-file", "", "fichier où écrire le code d'enrôlement du poste C01")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	db := filepath.Join(*dir, "serveur.db")
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	for _, s := range []string{"", "-wal", "-shm"} {
		os.Remove(db + s)
	}
	code, slip, err := demoDatabase(ctx, db)
	if err != nil {
		fmt.Fprintf(stderr, "Base de démonstration impossible : %s\n", regie.ErrorMessage(err))
		return 1
	}
	idp, err := auth.NewDevProvider("portail-demo", "secret-demo", demoCitizens)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	ln, err := net.Listen("tcp", *idpAddr)
	if err != nil {
		fmt.Fprintf(stderr, "Adresse %s occupée : %v\n", *idpAddr, err)
		return 1
	}
	idp.SetIssuer("http://" + ln.Addr().String())
	idp.RedirectURIs = []string{"http://" + *addr + "/connexion/retour", "http://" + *addr + "/deconnexion/fin"}
	go http.Serve(ln, idp)
	defer ln.Close()
	// The agents' provider, standing in for ProConnect, on its own address.
	staffIdp, err := auth.NewDevProvider("gestion-demo", "secret-gestion-demo", demoserver.DemoAgents)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	sln, err := net.Listen("tcp", *staffIdpAddr)
	if err != nil {
		fmt.Fprintf(stderr, "Adresse %s occupée : %v\n", *staffIdpAddr, err)
		return 1
	}
	staffIdp.SetIssuer("http://" + sln.Addr().String())
	staffIdp.RedirectURIs = []string{"http://" + *addr + "/gestion/connexion/retour", "http://" + *addr + "/gestion/connexion"}
	go http.Serve(sln, staffIdp)
	defer sln.Close()
	if err := bindDemoIdentities(ctx, db, staffIdp.Issuer()); err != nil {
		fmt.Fprintf(stderr, "Base de démonstration impossible : %s\n", regie.ErrorMessage(err))
		return 1
	}
	sim, simURL, stopSim, err := startPayFiPSim(*payfipAddr, slog.New(slog.NewTextHandler(stderr, nil)))
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	defer stopSim()
	if err := demoOnlinePayment(ctx, db, "http://"+*addr, sim, simURL); err != nil {
		fmt.Fprintf(stderr, "Paiement en ligne de démonstration impossible : %s\n", regie.ErrorMessage(err))
		return 1
	}
	if *codeFile != "" {
		if err := os.WriteFile(*codeFile, []byte(code+"\n"), 0o600); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
	}
	fmt.Fprintf(stdout, `Démonstration de Régie
  Portail des familles : http://%s/  (connexion « FranceConnect » de démonstration :
      Hélène Lefèvre, puis le code d'accès K7Q101X ;
      Julien Lefèvre, pas inscrit au foyer, puis le code de rattachement %s)
  Vérifier un reçu     : http://%s/verifier
  Paiement en ligne    : simulateur PayFiP %s — Hélène Lefèvre a déjà payé la facture
      FAC-2026-00102 en ligne ; « Payer en ligne » sur une autre facture ouvre le simulateur
  Poste C01            : code d'enrôlement %s
  Agents du poste      : mdupont / 1234 (régisseur), jmartin / 2345 (suppléant), sbernard / 3456 (mandataire)
  Gestion des régies   : http://%s/gestion/
      mdupont / regisseur-demo (régisseuse ENF), jmartin / suppleant-demo (suppléant ENF),
      finances / finances-demo (service des finances, aussi par « ProConnect » de démonstration : Claire Moreau),
      admin / admin-demo (administrateur ; second facteur : ajoutez la clé %s
      dans une application TOTP, ou « oathtool --totp -b %s »)
  Base du serveur      : %s
`, *addr, slip, *addr, simURL, code, *addr, demoserver.DemoAdminTOTP, demoserver.DemoAdminTOTP, db)
	cfg := &config{Addr: *addr, DB: db, LogFormat: "text", BaseURL: "http://" + *addr, City: "Ville de Montaigu-sur-Loire",
		OIDCIssuer: idp.Issuer(), OIDCClientID: "portail-demo", OIDCClientSecret: "secret-demo", InsecureCookies: "1",
		StaffOIDCIssuer: staffIdp.Issuer(), StaffOIDCClientID: "gestion-demo", StaffOIDCClientSecret: "secret-gestion-demo",
		StaffOIDCName: "ProConnect (démonstration)", PayFiPURL: simURL}
	return serveWith(ctx, cfg, e, stderr)
}

// bindDemoIdentities binds the demo accounts to the demo ProConnect's
// identities, whose issuer is known once it listens.
func bindDemoIdentities(ctx context.Context, path, issuer string) error {
	st, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	defer st.Close()
	return st.Update(ctx, func(tx *store.Tx) error { return demoserver.BindDemoIdentities(tx, issuer, time.Now()) })
}

// demoDatabase seeds a server file with the demo régie and creates counter
// C01; it returns C01's one-time enrolment code and the linking slip code
// of household F001001.
func demoDatabase(ctx context.Context, path string) (code, slip string, err error) {
	st, err := store.Open(ctx, path)
	if err != nil {
		return "", "", err
	}
	defer st.Close()
	if err := demoserver.Seed(ctx, st, bcrypt.DefaultCost); err != nil {
		return "", "", err
	}
	code = credential.NewEnrolCode()
	err = st.Update(ctx, func(tx *store.Tx) error {
		if _, err := tx.CreateCounter(regie.Counter{Code: "C01", Regie: "ENF", Name: "Accueil mairie – guichet 1"},
			credential.HashEnrolCode(code), time.Now().Add(7*24*time.Hour), time.Now()); err != nil {
			return err
		}
		s, err := demoserver.Slip(tx, time.Now())
		if err != nil {
			return err
		}
		slip = s.Code
		return nil
	})
	return code, slip, err
}
