package store

import (
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/regie-fr/regie"
)

// Anchor is a journal entry's seq and hash as printed outside the file
// (the Z report's last entry): the file's chain must hold it.
type Anchor struct {
	Seq  int64
	Hash string
}

// ReceiptAnchor is a receipt number and the fingerprint the receipt prints
// (the first hex digits of its payment entry's hash).
type ReceiptAnchor struct {
	Receipt     string
	Fingerprint string
}

// ParseAnchor reads SEQ:HASH as the Z report prints it.
func ParseAnchor(s string) (Anchor, error) {
	seq, hash, ok := strings.Cut(strings.TrimSpace(s), ":")
	n, err := strconv.ParseInt(strings.TrimSpace(seq), 10, 64)
	hash = hexDigits(hash)
	if !ok || err != nil || n < 1 || len(hash) != 64 {
		return Anchor{}, regie.Errorf(regie.EInvalid,
			"Repère « %s » illisible : attendu N°:EMPREINTE, le numéro d'entrée et son empreinte SHA-256 (64 chiffres hexadécimaux).", s)
	}
	return Anchor{Seq: n, Hash: hash}, nil
}

// ParseReceiptAnchor reads NUMBER:FINGERPRINT as the receipt prints them;
// the fingerprint may keep the receipt's spaces.
func ParseReceiptAnchor(s string) (ReceiptAnchor, error) {
	i := strings.LastIndex(s, ":")
	if i < 0 {
		return ReceiptAnchor{}, regie.Errorf(regie.EInvalid, "Repère de reçu « %s » illisible : attendu NUMÉRO:EMPREINTE.", s)
	}
	receipt, fp := strings.TrimSpace(s[:i]), hexDigits(s[i+1:])
	if _, _, _, _, err := regie.ParseReceiptNumber(receipt); err != nil {
		return ReceiptAnchor{}, regie.Errorf(regie.EInvalid, "Numéro de reçu « %s » invalide.", receipt)
	}
	if len(fp) < 16 || len(fp) > 64 {
		return ReceiptAnchor{}, regie.Errorf(regie.EInvalid,
			"Empreinte du reçu %s illisible : au moins les 16 chiffres hexadécimaux imprimés sur le reçu.", receipt)
	}
	return ReceiptAnchor{Receipt: receipt, Fingerprint: fp}, nil
}

// hexDigits is s lowercased without the spaces the receipt groups digits
// with; "" when anything else than hex digits is left.
func hexDigits(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(s), ""))
	for _, r := range s {
		if !strings.ContainsRune("0123456789abcdef", r) {
			return ""
		}
	}
	return s
}

// anchors checks that the file's chain holds every anchor given.
func (k *check) anchors(expect []Anchor, receipts []ReceiptAnchor) {
	for _, a := range expect {
		var hash string
		err := k.src.tx.QueryRowContext(k.ctx, `SELECT hash FROM journal WHERE seq = ?`, a.Seq).Scan(&hash)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			k.r.add(Problem{Motif: fmt.Sprintf("repère n° %d : le journal du fichier s'arrête à l'entrée n° %d, l'entrée attestée manque",
				a.Seq, k.r.LastSeq)})
		case err != nil:
			k.r.add(Problem{Motif: fmt.Sprintf("repère n° %d illisible (%v)", a.Seq, err)})
		case hash != a.Hash:
			kind, id := k.entryAt(a.Seq)
			k.r.add(Problem{Seq: a.Seq, Kind: kind, ID: id,
				Motif: fmt.Sprintf("l'empreinte attestée est %s, le fichier dit %s : le journal a été réécrit", a.Hash, hash)})
		}
	}
	for _, a := range receipts {
		hash, ok := "", false
		if k.v != nil {
			hash, ok = k.v.receipts[a.Receipt]
		}
		switch {
		case !ok:
			k.r.add(Problem{Motif: fmt.Sprintf("reçu %s : aucun paiement du journal ne porte ce numéro", a.Receipt)})
		case !strings.HasPrefix(hash, a.Fingerprint):
			k.r.add(Problem{Motif: fmt.Sprintf("reçu %s : l'empreinte imprimée %s ne correspond pas à celle du journal (%s)",
				a.Receipt, a.Fingerprint, hash[:min(len(hash), len(a.Fingerprint))])})
		}
	}
}

// syncState checks the file's bookkeeping against its journal: what the
// server acknowledged, the invoices' as-of seq and the last verified entry
// cannot be ahead of the journal (a file cut short after the server had
// it), and a configured counter has a journal (configuring it is an
// entry).
func (k *check) syncState() {
	last := k.r.LastSeq
	if k.v == nil {
		// A tail check: the head is the file's last entry, read directly.
		k.src.tx.QueryRowContext(k.ctx, `SELECT coalesce(max(seq), 0) FROM journal`).Scan(&last)
	}
	for _, c := range []struct{ what, query string }{
		{"le serveur a accusé réception de l'entrée n° %d", `SELECT acked_seq FROM sync_state`},
		{"les restes à payer reçus du serveur tiennent compte de l'entrée n° %d", `SELECT coalesce(max(as_of_seq), 0) FROM invoices`},
		{"la caisse a vérifié son fichier jusqu'à l'entrée n° %d", `SELECT seq FROM verified`},
	} {
		var n int64
		if err := k.src.tx.QueryRowContext(k.ctx, c.query).Scan(&n); err != nil {
			continue // an older file without the table: the schema check speaks for it
		}
		if n > last {
			k.r.add(Problem{Motif: fmt.Sprintf("fichier tronqué : "+c.what+", mais le journal s'arrête à l'entrée n° %d", n, last)})
		}
	}
	if last > 0 {
		return
	}
	var configured int
	k.src.tx.QueryRowContext(k.ctx, `SELECT (SELECT count(*) FROM identity) + (SELECT count(*) FROM settings)
		+ (SELECT count(*) FROM agents)`).Scan(&configured)
	if configured > 0 {
		k.r.add(Problem{Motif: "journal vide alors que le poste est configuré (identité, paramètres ou agents présents) : le journal a été supprimé"})
	}
}
