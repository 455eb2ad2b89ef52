//go:build windows

package main

import "os/exec"

// openFile shows a file in the desktop's default application.
func openFile(path string) error {
	return exec.Command("rundll32", "url.dll,FileProtocolHandler", path).Start()
}
