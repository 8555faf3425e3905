package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCompletion: 'confab completion SHELL' prints a completion script for confab in bash,
// zsh and fish; a shell it does not know, or none, is a usage error.
func TestCompletion(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		shell string
		want  []string // what the script must hold
	}{
		{"bash", []string{"# bash completion V2 for confab", "__start_confab", "complete -o default -F __start_confab confab"}},
		{"zsh", []string{"#compdef confab", "compdef _confab confab"}},
		{"fish", []string{"# fish completion for confab", "complete -c confab"}},
	}
	for _, tt := range tests {
		t.Run(tt.shell, func(t *testing.T) {
			r := h.run("completion", tt.shell)
			r.want(t, 0)
			for _, w := range tt.want {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("confab completion %s lacks %q:\n%.400s", tt.shell, w, r.stdout)
				}
			}
			if r.stderr != "" {
				t.Errorf("stderr %q", r.stderr)
			}
		})
	}
	h.run("completion", "tcsh").want(t, exitUsage, `completion: unknown shell "tcsh": use bash, zsh, fish or powershell`)
	h.run("completion").want(t, exitUsage, "completion needs a shell")
}

// TestCompletionBash sources the bash script in bash and asks it to complete "confab l":
// the script must run, register itself and complete from the binary (confab __complete).
func TestCompletionBash(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped in -short mode")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash not installed")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	script := filepath.Join(dir, "confab.bash")
	out, err := exec.Command(bin, "completion", "bash").Output()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(script, out, 0o600); err != nil {
		t.Fatal(err)
	}
	// __start_confab reads COMP_WORDS/COMP_CWORD and leaves its answers in COMPREPLY. The
	// script uses the bash-completion package's _get_comp_words_by_ref (most distributions
	// install it with bash); where it is missing, a minimal one stands in.
	cmd := exec.Command("bash", "--norc", "--noprofile", "-c", `
for f in /usr/share/bash-completion/bash_completion /etc/bash_completion; do [ -r "$f" ] && source "$f" && break; done
declare -F _get_comp_words_by_ref >/dev/null || _get_comp_words_by_ref() {
	cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]}; words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD
}
source "$1"
complete -p confab
COMP_WORDS=(confab l); COMP_CWORD=1; COMP_LINE="confab l"; COMP_POINT=${#COMP_LINE}
__start_confab confab l confab
printf 'reply:%s\n' "${COMPREPLY[@]}"`, "bash", script)
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"), "HOME="+dir, "XDG_CONFIG_HOME="+dir)
	got, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("bash: %v\n%s", err, got)
	}
	if !strings.Contains(string(got), "complete -o default -F __start_confab confab") || !strings.Contains(string(got), "reply:list") {
		t.Errorf("the bash completion did not complete \"confab l\" to list:\n%s", got)
	}
}

// TestVersionFlag: --version (and -v) print what 'confab version' prints.
func TestVersionFlag(t *testing.T) {
	h := newHarness(t)
	want := h.run("version")
	want.want(t, 0)
	if !strings.HasPrefix(want.stdout, "confab ") || !strings.HasSuffix(want.stdout, ")\n") {
		t.Fatalf("confab version = %q", want.stdout)
	}
	for _, flag := range []string{"--version", "-v"} {
		r := h.run(flag)
		r.want(t, 0)
		if r.stdout != want.stdout {
			t.Errorf("confab %s = %q, want %q (as confab version)", flag, r.stdout, want.stdout)
		}
	}
}
