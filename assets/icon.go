package assets

import _ "embed"

// Icon is the application's icon (256×256 PNG), for the window and the
// desktop entry.
//
//go:embed icon.png
var Icon []byte
