//go:build windows

package serial

import (
	"fmt"
	"syscall"
	"unicode/utf16"
	"unsafe"
)

var queryDosDevice = syscall.NewLazyDLL("kernel32.dll").NewProc("QueryDosDeviceW")

// errInsufficientBuffer is ERROR_INSUFFICIENT_BUFFER.
const errInsufficientBuffer = syscall.Errno(122)

func likely() []string {
	if names, err := dosDevices(); err == nil {
		return comNames(names)
	}
	return probeCOM(20)
}

// dosDevices returns every MS-DOS device name (COM1, LPT1, C:…), separated
// by NUL, without reading the registry.
func dosDevices() (string, error) {
	if err := queryDosDevice.Find(); err != nil {
		return "", err
	}
	for size := 16 * 1024; size <= 1<<20; size *= 4 {
		buf := make([]uint16, size)
		n, _, err := queryDosDevice.Call(0, uintptr(unsafe.Pointer(&buf[0])), uintptr(size))
		if n > 0 {
			return string(utf16.Decode(buf[:n])), nil // NUL-separated
		}
		if err != errInsufficientBuffer {
			return "", fmt.Errorf("QueryDosDevice: %w", err)
		}
	}
	return "", fmt.Errorf("QueryDosDevice: list too long")
}

// probeCOM opens COM1…COMn in turn: a port that exists opens, or is
// refused because another program holds it.
func probeCOM(n int) []string {
	var out []string
	for i := 1; i <= n; i++ {
		name := fmt.Sprintf("COM%d", i)
		path, _ := syscall.UTF16PtrFromString(`\\.\` + name)
		h, err := syscall.CreateFile(path, syscall.GENERIC_READ|syscall.GENERIC_WRITE, 0, nil,
			syscall.OPEN_EXISTING, 0, 0)
		if err == nil {
			syscall.CloseHandle(h)
			out = append(out, name)
		} else if err == syscall.ERROR_ACCESS_DENIED {
			out = append(out, name)
		}
	}
	return out
}
