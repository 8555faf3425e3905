package clip

import (
	"fmt"
	"os/exec"
	"runtime"

	"github.com/atotto/clipboard"
)

// Native returns the system clipboard's writer and its name for the status bar
// ("xclip", "wl-copy", "pbcopy"…), or nil when there is none to use: on Linux and the BSDs a
// clipboard needs a display ($DISPLAY for xclip and xsel, $WAYLAND_DISPLAY for wl-copy),
// which an SSH session usually lacks (OSC 52 covers that case). getenv reads the environment.
func Native(getenv func(string) string) (write func(string) error, name string) {
	switch runtime.GOOS {
	case "darwin":
		return writeNative, "pbcopy"
	case "windows":
		return writeNative, "the Windows clipboard"
	}
	if clipboard.Unsupported {
		return nil, ""
	}
	wayland, x11 := getenv("WAYLAND_DISPLAY") != "", getenv("DISPLAY") != ""
	// The order of github.com/atotto/clipboard: wl-copy under Wayland, else xclip, else xsel.
	if wayland && found("wl-copy") && found("wl-paste") {
		return writeNative, "wl-copy"
	}
	if !x11 {
		return nil, ""
	}
	for _, tool := range []string{"xclip", "xsel"} {
		if found(tool) {
			return writeNative, tool
		}
	}
	return nil, ""
}

func found(tool string) bool {
	_, err := exec.LookPath(tool)
	return err == nil
}

func writeNative(s string) error {
	if err := clipboard.WriteAll(s); err != nil {
		return fmt.Errorf("native clipboard: %w", err)
	}
	return nil
}
