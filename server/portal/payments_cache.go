package portal

import "sync"

// paymentsCache keeps Mes paiements as built for a household, a requested
// year ("" for the default) and a version of the household's payments
// (Store.PaymentsVersion): a later request for the same version reuses it,
// and a payment recorded or cancelled, or a régie or a counter saved, gives
// a new version, so a page never outlives what it shows. Only the
// household's own data is kept; the layout (session, CSRF token, linked
// households) is rendered for each request.
type paymentsCache struct {
	mu      sync.Mutex
	entries map[paymentsKey]paymentsEntry
	bytes   int
	limit   int
}

type paymentsKey struct{ household, year string }

type paymentsEntry struct {
	version string
	data    *paymentsData
}

func newPaymentsCache(limit int) *paymentsCache {
	return &paymentsCache{entries: map[paymentsKey]paymentsEntry{}, limit: limit}
}

// get is the page kept for this version, or nil.
func (c *paymentsCache) get(household, year, version string) *paymentsData {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[paymentsKey{household, year}]; ok && e.version == version {
		return e.data
	}
	return nil
}

// put keeps a page, replacing the household's older version; when the
// cache is full, entries picked at random make room.
func (c *paymentsCache) put(household, year, version string, d *paymentsData) {
	k := paymentsKey{household, year}
	e := paymentsEntry{version: version, data: d}
	size := e.size(k)
	if size > c.limit/4 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.entries[k]; ok {
		c.bytes -= old.size(k)
	}
	for kk, e := range c.entries {
		if c.bytes+size <= c.limit {
			break
		}
		delete(c.entries, kk)
		c.bytes -= e.size(kk)
	}
	c.entries[k] = e
	c.bytes += size
}

// size is about what an entry takes in memory: a year of 200 payments is
// about 100 KB, most households' years a few KB.
func (e paymentsEntry) size(k paymentsKey) int {
	return len(e.data.Rows) + len(k.household) + len(k.year) + len(e.version) + 8*len(e.data.Years) + 128
}
