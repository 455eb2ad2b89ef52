package printing

import (
	"math"
	"math/bits"
)

// qrGrid is a symbol under construction: modules row by row, and which of
// them are function patterns that data and masks leave alone.
type qrGrid struct {
	n        int
	dark     []bool
	function []bool
}

// set draws a function module: data and masks will leave it alone.
func (g *qrGrid) set(x, y int, dark bool) {
	g.dark[y*g.n+x] = dark
	g.function[y*g.n+x] = true
}

// qrPlace lays out the function patterns and the codewords, then keeps the
// mask with the lowest penalty.
func qrPlace(codewords []byte, version int, vi *qrBlocks) []bool {
	n := 17 + 4*version
	g := &qrGrid{n: n, dark: make([]bool, n*n), function: make([]bool, n*n)}
	g.finder(3, 3)
	g.finder(n-4, 3)
	g.finder(3, n-4)
	for i := 8; i < n-8; i++ {
		g.set(i, 6, i%2 == 0)
		g.set(6, i, i%2 == 0)
	}
	last := len(vi.align) - 1
	for i, cx := range vi.align {
		for j, cy := range vi.align {
			if i == 0 && j == 0 || i == 0 && j == last || i == last && j == 0 {
				continue // the finder patterns' corners
			}
			for dy := -2; dy <= 2; dy++ {
				for dx := -2; dx <= 2; dx++ {
					g.set(cx+dx, cy+dy, max(abs(dx), abs(dy)) != 1)
				}
			}
		}
	}
	g.format(0) // reserve the format areas; rewritten per mask
	if version >= 7 {
		g.version(version)
	}
	g.data(codewords)

	best, bestScore := []bool(nil), ^uint(0)
	trial := make([]bool, n*n)
	for mask := 0; mask < 8; mask++ {
		for y := 0; y < n; y++ {
			for x := 0; x < n; x++ {
				i := y*n + x
				trial[i] = g.dark[i] != (!g.function[i] && qrMask(mask, x, y))
			}
		}
		saved := g.dark
		g.dark = trial
		g.format(mask)
		g.dark = saved
		if s := qrPenalty(trial, n); s < bestScore {
			best, bestScore = append([]bool(nil), trial...), s
		}
	}
	return best
}

// abs is |x| for the patterns' distances.
func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// finder draws a finder pattern centred on (cx, cy) with its separator.
func (g *qrGrid) finder(cx, cy int) {
	for dy := -4; dy <= 4; dy++ {
		for dx := -4; dx <= 4; dx++ {
			x, y := cx+dx, cy+dy
			if x < 0 || y < 0 || x >= g.n || y >= g.n {
				continue
			}
			d := max(abs(dx), abs(dy))
			g.set(x, y, d != 2 && d != 4)
		}
	}
}

// format writes the 15 format bits (level M, mask) in both copies, and the
// dark module.
func (g *qrGrid) format(mask int) {
	data := mask // level M is 00
	rem := data
	for i := 0; i < 10; i++ {
		rem = rem<<1 ^ (rem>>9)*0x537
	}
	bits := (data<<10 | rem) ^ 0x5412
	bit := func(i int) bool { return bits>>uint(i)&1 != 0 }
	n := g.n
	for i := 0; i <= 5; i++ {
		g.set(8, i, bit(i))
	}
	g.set(8, 7, bit(6))
	g.set(8, 8, bit(7))
	g.set(7, 8, bit(8))
	for i := 9; i < 15; i++ {
		g.set(14-i, 8, bit(i))
	}
	for i := 0; i < 8; i++ {
		g.set(n-1-i, 8, bit(i))
	}
	for i := 8; i < 15; i++ {
		g.set(8, n-15+i, bit(i))
	}
	g.set(8, n-8, true)
}

// version writes the 18 version bits, versions 7 and up.
func (g *qrGrid) version(v int) {
	rem := v
	for i := 0; i < 12; i++ {
		rem = rem<<1 ^ (rem>>11)*0x1F25
	}
	bits := v<<12 | rem
	for i := 0; i < 18; i++ {
		dark := bits>>uint(i)&1 != 0
		a, b := g.n-11+i%3, i/3
		g.set(a, b, dark)
		g.set(b, a, dark)
	}
}

// data places the codewords in the two-column zigzag from the bottom
// right, skipping the function patterns; remainder modules stay light.
func (g *qrGrid) data(cw []byte) {
	i, n := 0, g.n
	for right := n - 1; right >= 1; right -= 2 {
		if right == 6 {
			right = 5
		}
		for vert := 0; vert < n; vert++ {
			for j := 0; j < 2; j++ {
				x := right - j
				y := vert
				if (right+1)&2 == 0 {
					y = n - 1 - vert
				}
				if !g.function[y*n+x] && i < len(cw)*8 {
					g.dark[y*n+x] = cw[i>>3]>>uint(7-i&7)&1 != 0
					i++
				}
			}
		}
	}
}

// qrMask tells whether mask pattern m flips module (x, y).
func qrMask(m, x, y int) bool {
	switch m {
	case 0:
		return (x+y)%2 == 0
	case 1:
		return y%2 == 0
	case 2:
		return x%3 == 0
	case 3:
		return (x+y)%3 == 0
	case 4:
		return (x/3+y/2)%2 == 0
	case 5:
		return x*y%2+x*y%3 == 0
	case 6:
		return (x*y%2+x*y%3)%2 == 0
	}
	return ((x+y)%2+x*y%3)%2 == 0
}

// qrPenalty scores a masked symbol with the four rules of the standard, as
// boombuler/barcode computes them, so that both choose the same mask: runs
// of five or more, 2×2 blocks, finder-like patterns, and the balance of
// dark and light. Rows and columns are packed in 64-bit words (a version
// 10 symbol is 57 modules wide), which makes the eight scorings cheap.
func qrPenalty(m []bool, n int) uint {
	var rows, cols [64]uint64
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			if m[y*n+x] {
				rows[y] |= 1 << uint(x)
				cols[x] |= 1 << uint(y)
			}
		}
	}
	full := uint64(1)<<uint(n) - 1
	var s uint
	dark := 0
	for i := 0; i < n; i++ {
		s += qrRuns(rows[i], n) + qrRuns(cols[i], n)
		s += 40 * (qrFinderLike(rows[i], n) + qrFinderLike(cols[i], n))
		dark += bits.OnesCount64(rows[i])
	}
	// Rule 2: 2×2 blocks of one colour.
	pairs := full >> 1
	for y := 0; y+1 < n; y++ {
		r0, r1 := rows[y], rows[y+1]
		same := ^(r0 ^ r1) & ^(r0 ^ r0>>1) & ^(r1 ^ r1>>1) & pairs
		s += 3 * uint(bits.OnesCount64(same))
	}
	// Rule 4: distance of the dark share from 50 %, by steps of 5 %.
	perc := float64(dark) * 100 / float64(n*n)
	return s + uint(math.Min(math.Abs(math.Floor(perc/5)-10), math.Abs(math.Ceil(perc/5)-10))*10)
}

// qrRuns is rule 1 on one line: each run of k ≥ 5 modules of one colour
// costs k − 2.
func qrRuns(line uint64, n int) uint {
	var s uint
	run := uint(1)
	prev := line&1 != 0
	for i := 1; i < n; i++ {
		v := line>>uint(i)&1 != 0
		if v == prev {
			run++
			continue
		}
		if run >= 5 {
			s += run - 2
		}
		prev, run = v, 1
	}
	if run >= 5 {
		s += run - 2
	}
	return s
}

// The two finder-like patterns of rule 3, dark 1:1:3:1:1 with four light
// modules after or before, bit i being the i-th module of the line.
const (
	qrPattern1 = 0b00001011101 // true,false,true,true,true,false,true,false,false,false,false
	qrPattern2 = 0b10111010000 // false×4,true,false,true,true,true,false,true
)

// qrFinderLike is rule 3 on one line: how many places show a pattern.
func qrFinderLike(line uint64, n int) uint {
	var c uint
	for a := 0; a+11 <= n; a++ {
		if w := line >> uint(a) & 0x7FF; w == qrPattern1 || w == qrPattern2 {
			c++
		}
	}
	return c
}
