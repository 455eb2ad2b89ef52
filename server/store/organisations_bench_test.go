package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/regie-fr/regie/server/store"
)

// BenchmarkOrganisationForHost is what finding the organisation of a
// request costs every portal page (its host looked up in the database,
// rule 11: no cache to invalidate between instances), on a server of 50
// organisations; its floor, measured in the same run, is an empty read
// transaction on the same store.
func BenchmarkOrganisationForHost(b *testing.B) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "serveur.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	err = st.Update(ctx, func(tx *store.Tx) error {
		if err := tx.SaveOrganisation(&store.Organisation{Code: "ville", Name: "Ville 0", Host: "paiements-0.example.fr"}); err != nil {
			return err
		}
		for i := 1; i < 50; i++ {
			if err := tx.CreateOrganisation(&store.Organisation{Code: fmt.Sprintf("ville-%d", i), Name: fmt.Sprint("Ville ", i),
				Host: fmt.Sprintf("paiements-%d.example.fr", i)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	ps := st.Portal()
	b.Run("host-lookup", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			o, err := ps.OrganisationForHost(ctx, "Paiements-37.example.fr:443")
			if err != nil || o == nil || o.Code != "ville-37" {
				b.Fatal(o, err)
			}
		}
	})
	b.Run("floor-empty-read", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if err := st.View(ctx, func(tx *store.Tx) error { return nil }); err != nil {
				b.Fatal(err)
			}
		}
	})
}
