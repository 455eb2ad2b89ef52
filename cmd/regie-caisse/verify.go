package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app/store"
	"github.com/regie-fr/regie/sync/protocol"
)

// repeated is a flag that may be given several times.
type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ", ") }
func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }

// serverFlag is --server: alone, the server the file is enrolled with
// ("auto"); with a value, that address.
type serverFlag struct{ addr string }

func (f *serverFlag) String() string { return f.addr }
func (f *serverFlag) Set(v string) error {
	if v == "true" || v == "" {
		v = "auto"
	}
	f.addr = v
	return nil
}
func (f *serverFlag) IsBoolFlag() bool { return true }

// parseInterleaved parses flags that may come before or after the
// positional arguments, which it returns.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos, args = append(pos, args[0]), args[1:]
	}
}

// verify prints the report of a counter file and exits 0 when it is
// intact, 1 when something is broken, 2 when it cannot be read.
func verify(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var expect, receipts repeated
	fs.Var(&expect, "expect", "N°:EMPREINTE de la dernière entrée imprimée sur un rapport Z (répétable)")
	fs.Var(&receipts, "receipt", "NUMÉRO:EMPREINTE imprimés sur un reçu (répétable)")
	var server serverFlag
	fs.Var(&server, "server", "compare avec la copie du serveur (seul : le serveur du fichier ; ou --server=ADRESSE)")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return 2
	}
	// "--server https://…": the address came as a word of its own.
	if server.addr == "auto" && len(pos) == 2 {
		for i, p := range pos {
			if strings.Contains(p, "://") {
				server.addr, pos = p, []string{pos[1-i]}
				break
			}
		}
	}
	if len(pos) != 1 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	file := pos[0]
	var opt store.Options
	for _, s := range expect {
		a, err := store.ParseAnchor(s)
		if err != nil {
			fmt.Fprintln(stderr, regie.ErrorMessage(err))
			return 2
		}
		opt.Expect = append(opt.Expect, a)
	}
	for _, s := range receipts {
		a, err := store.ParseReceiptAnchor(s)
		if err != nil {
			fmt.Fprintln(stderr, regie.ErrorMessage(err))
			return 2
		}
		opt.Receipts = append(opt.Receipts, a)
	}
	if server.addr != "" {
		opt.Server = httpServerCopy(server.addr)
	}
	if _, err := os.Stat(file); err != nil {
		fmt.Fprintf(stderr, "Fichier introuvable : %s\n", file)
		return 2
	}
	r, err := store.Verify(ctx, file, opt)
	if err != nil {
		fmt.Fprintf(stderr, "Impossible de vérifier %s : %s\n", file, errorText(err))
		return 2
	}
	fmt.Fprintf(stdout, "Fichier : %s\nPoste : %s\nEntrées : %d — paiements : %d — clôtures : %d\n",
		file, r.Counter, r.Entries, r.Payments, r.Closings)
	if r.OK() {
		fmt.Fprintf(stdout, "Dernière entrée : n° %d, empreinte %s\n", r.LastSeq, r.LastHash)
		if len(opt.Expect)+len(opt.Receipts) > 0 {
			fmt.Fprintf(stdout, "Repères retrouvés : %d\n", len(opt.Expect)+len(opt.Receipts))
		}
		if opt.Server != nil {
			fmt.Fprintln(stdout, "Copie du serveur : identique jusqu'à sa dernière entrée.")
		}
		fmt.Fprintln(stdout, "Résultat : journal intègre.")
		return 0
	}
	fmt.Fprintf(stdout, "Résultat : JOURNAL ALTÉRÉ. Première anomalie : %s\n", r.Problems[0])
	for _, p := range r.Problems[1:] {
		fmt.Fprintf(stdout, "  puis : %s\n", p)
	}
	if r.Truncated {
		fmt.Fprintln(stdout, "  (d'autres anomalies suivent, non listées)")
	}
	return 1
}

// errorText is the French message of a domain error, the error itself
// otherwise: verify's reader is the person who can act on either.
func errorText(err error) string {
	var e *regie.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}

// httpServerCopy reads the server's copy of the journal through
// GET /api/sync/v1/journal with the counter's credential. addr "auto"
// is the server the file is enrolled with.
func httpServerCopy(addr string) store.ServerCopy {
	client := &http.Client{Timeout: 30 * time.Second}
	return func(ctx context.Context, server, credential string, after int64) ([]store.ServerHead, int64, error) {
		if addr != "auto" {
			server = addr
		}
		if server == "" || credential == "" {
			return nil, 0, regie.Errorf(regie.ENotConfigured, "Ce poste n'est pas enrôlé : pas de serveur ni d'identifiant pour lire sa copie du journal.")
		}
		u := strings.TrimRight(server, "/") + protocol.PathJournal + "?" + url.Values{"after": {strconv.FormatInt(after, 10)}}.Encode()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, 0, regie.Errorf(regie.EInvalid, "Adresse du serveur invalide « %s ».", server)
		}
		req.Header.Set("Authorization", "Bearer "+credential)
		resp, err := client.Do(req)
		if err != nil {
			return nil, 0, regie.Errorf(regie.EInternal, "Serveur injoignable (%v).", err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			var body protocol.ErrorBody
			json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&body)
			if resp.StatusCode == http.StatusNotFound && body.Message == "" {
				body.Message = "le serveur ne connaît pas la lecture du journal : il doit être mis à jour"
			}
			return nil, 0, regie.Errorf(regie.EInternal, "Le serveur refuse la lecture du journal (HTTP %d : %s).", resp.StatusCode, body.Message)
		}
		var page protocol.JournalPage
		if err := json.NewDecoder(io.LimitReader(resp.Body, 16<<20)).Decode(&page); err != nil {
			return nil, 0, regie.Errorf(regie.EInternal, "Réponse du serveur illisible (%v).", err)
		}
		heads := make([]store.ServerHead, len(page.Entries))
		for i, h := range page.Entries {
			heads[i] = store.ServerHead{Seq: h.Seq, ID: h.ID, Hash: h.Hash}
		}
		return heads, page.LastSeq, nil
	}
}
