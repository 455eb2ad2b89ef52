package ui

import "fyne.io/fyne/v2"

// columns lays out a row's cells at fixed widths, the last one taking the
// rest, so that the journal's header and rows line up whatever the text.
type columns struct {
	widths []float32
}

// newColumns is a row container of fixed-width cells.
func newColumns(widths []float32, cells ...fyne.CanvasObject) *fyne.Container {
	return &fyne.Container{Layout: &columns{widths: widths}, Objects: cells}
}

// Layout places the cells side by side.
func (c *columns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	x := float32(0)
	for i, o := range objs {
		w := size.Width - x
		if i < len(c.widths) && i < len(objs)-1 {
			w = c.widths[i]
		}
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w
	}
}

// MinSize is the fixed widths and the tallest cell.
func (c *columns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, h float32
	for i, o := range objs {
		m := o.MinSize()
		if i < len(c.widths) && i < len(objs)-1 {
			w += c.widths[i]
		} else {
			w += m.Width
		}
		h = max(h, m.Height)
	}
	return fyne.NewSize(w, h)
}
