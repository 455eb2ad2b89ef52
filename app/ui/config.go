package ui

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// Config is the counter's own settings, in a file in the user's
// configuration folder; the régie's settings come from the server.
type Config struct {
	Database     string `json:"database"`
	ServerURL    string `json:"server_url"`
	Counter      string `json:"counter"`
	TerminalPort string `json:"terminal_port"`
	TerminalBaud int    `json:"terminal_baud,omitempty"`
	TerminalLine string `json:"terminal_line,omitempty"`
	Printer      string `json:"printer"`
	// Sync tunes when the counter pushes and pulls; empty gives the
	// defaults.
	Sync SyncTiming `json:"sync,omitzero"`
}

// DefaultConfigPath is where the counter keeps its configuration:
// ~/.config/regie/caisse.json on Linux, %AppData%\regie\caisse.json on
// Windows.
func DefaultConfigPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("ui: config dir: %w", err)
	}
	return filepath.Join(dir, "regie", "caisse.json"), nil
}

// LoadConfig reads the configuration; a missing file gives the defaults.
func LoadConfig(path string) (*Config, error) {
	c := &Config{}
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return c, nil
	} else if err != nil {
		return nil, fmt.Errorf("ui: read config: %w", err)
	}
	if err := json.Unmarshal(b, c); err != nil {
		return nil, fmt.Errorf("ui: config %s: %w", path, err)
	}
	if err := c.Sync.check(); err != nil {
		return nil, fmt.Errorf("ui: config %s: %w", path, err)
	}
	return c, nil
}

// Save writes the configuration atomically: a crash leaves the old file or
// the new one, never half of it.
func (c *Config) Save(path string) error {
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("ui: save config: %w", err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("ui: save config: %w", err)
	}
	return os.Rename(tmp, path)
}
