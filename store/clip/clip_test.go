package clip

import "testing"

func TestHumanBytesAndSafeName(t *testing.T) {
	for n, want := range map[int]string{0: "0 B", 1023: "1023 B", 6246: "6.1 KB", 3 << 20: "3.0 MB"} {
		if got := HumanBytes(int64(n)); got != want {
			t.Errorf("HumanBytes(%d) = %q, want %q", n, got, want)
		}
	}
	for in, want := range map[string]string{"Q7fTz2LmX0aB": "Q7fTz2LmX0aB", "../../etc/passwd": "_.._etc_passwd", "a b/c": "a_b_c", "": "unnamed", "é": "_"} {
		if got := SafeName(in); got != want {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, want)
		}
	}
	if got := TildePath("/home/u/.local/state/x.md", "/home/u"); got != "~/.local/state/x.md" {
		t.Errorf("TildePath = %q", got)
	}
}
