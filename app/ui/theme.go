package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Theme is Fyne's default light theme in the French administration's
// blue, so the counter looks like the city's other public services, and
// the same on every desktop whatever its dark mode.
type Theme struct{}

var _ fyne.Theme = Theme{}

var blueFrance = color.NRGBA{R: 0x00, G: 0x00, B: 0x91, A: 0xff}

// Color gives the light variant, with the primary and focus colours in
// blue.
func (Theme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	switch n {
	case theme.ColorNamePrimary:
		return blueFrance
	case theme.ColorNameFocus:
		return color.NRGBA{R: 0x00, G: 0x00, B: 0x91, A: 0x55}
	}
	return theme.DefaultTheme().Color(n, theme.VariantLight)
}

// Font is the default font.
func (Theme) Font(s fyne.TextStyle) fyne.Resource { return theme.DefaultTheme().Font(s) }

// Icon is the default icon.
func (Theme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }

// Size is the default size.
func (Theme) Size(n fyne.ThemeSizeName) float32 { return theme.DefaultTheme().Size(n) }
