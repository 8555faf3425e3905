package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/sanitize"
	"github.com/confab-dev/confab/store/clip"
	"github.com/confab-dev/confab/store/config"
	"github.com/confab-dev/confab/store/secret"
	"github.com/confab-dev/confab/tui"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1 // a runtime failure: network, vendor, credentials, files
	exitUsage   = 2 // a usage or configuration error
	// exitInterrupted: ctrl+c (SIGINT) or SIGTERM cancelled the command; 128 + SIGINT, as
	// shells report a process killed by ctrl+c.
	exitInterrupted = 130
)

// run executes the confab command line args and returns the exit code. It is main without
// the process: tests call it in-process with their own writers and environment.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	return newApp(stdout, stderr, getenv).run(ctx, args)
}

// app is one invocation of confab: its I/O, environment, injectable collaborators and the
// global flags.
type app struct {
	stdout, stderr io.Writer
	// stdin is where 'auth login' reads a secret (a prompt when it is a terminal); nil means
	// os.Stdin.
	stdin  io.Reader
	getenv func(string) string
	// keyring is the OS keyring the secret resolver uses; nil means the real one.
	keyring secret.Keyring
	// runTUI runs the terminal UI; tests replace it.
	runTUI func(ctx context.Context, deps tui.Deps) error
	now    func() time.Time
	// tuneHTTP, when set, adjusts every source's HTTP options (tests shorten the backoffs).
	tuneHTTP func(*client.HTTPOptions)
	// clipboard finds the native clipboard (export --clipboard and the TUI); tests replace it.
	clipboard func(getenv func(string) string) (write func(string) error, name string)
	// tmuxRun runs the tmux commands of a copy inside tmux (nil: clip.RunCommand); tests
	// replace it.
	tmuxRun clip.Runner

	// Global flags.
	configFlag string
	debugLog   string
	// offline (--offline) refuses every request to a vendor; noCache (--no-cache) leaves the
	// local store alone.
	offline, noCache bool
	// noMouse (--no-mouse) leaves the mouse to the terminal in the TUI.
	noMouse bool

	// args are the command-line arguments (for crash reports).
	args []string
	// writes counts the TUI's store writes in flight (tuistore.go).
	writes writeCount

	logger  *slog.Logger // nil unless --debug-log
	logFile *os.File

	// vendors are the kinds of source this app knows; nil means client.Vendors (sources.go).
	vendors *client.Registry

	// redactor knows every secret this invocation resolved (and each OAuth access token its
	// sources fetched): every source shares it, and stderr, the debug log, the TUI and crash
	// files go through it.
	redactor *client.Redactor
}

func newApp(stdout, stderr io.Writer, getenv func(string) string) *app {
	return &app{
		stdout: stdout,
		stderr: stderr,
		getenv: getenv,
		runTUI: tui.Run,
		now:    time.Now,

		redactor: client.NewRedactor(),

		clipboard: clip.Native,
	}
}

// exitError is an error with its exit code and what the user can do about it.
type exitError struct {
	code int
	what string // what failed
	hint string // what to do; may be empty
	err  error  // the cause, for errors.Is; already part of what
	// detail is printed after the one-line error (e.g. a filter with a caret under the
	// problem); scripts can keep reading only the first line.
	detail string
}

func (e *exitError) Error() string {
	if e.hint == "" {
		return e.what
	}
	return e.what + ": " + e.hint
}

func (e *exitError) Unwrap() error { return e.err }

// usageError is a usage or configuration error (exit 2).
func usageError(hint, format string, args ...any) error {
	return &exitError{code: exitUsage, what: fmt.Sprintf(format, args...), hint: hint}
}

// failure is a runtime failure (exit 1): what failed, the cause, and the cause's hint.
func failure(err error, format string, args ...any) error {
	var ee *exitError
	if errors.As(err, &ee) {
		return err
	}
	what := fmt.Sprintf(format, args...)
	if what != "" {
		what += ": "
	}
	return &exitError{code: exitFailure, what: what + err.Error(), hint: client.Hint(err), err: err}
}

// sourceFailure is failure for an error from the named source: its hint names the source.
func sourceFailure(source string, err error, format string, args ...any) error {
	e := failure(err, format, args...)
	var ee *exitError
	if errors.As(e, &ee) && ee.err == err {
		ee.hint = client.HintFor(source, err)
	}
	return e
}

func (a *app) run(ctx context.Context, args []string) int {
	a.args = args
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetIn(strings.NewReader(""))
	cmd, err := root.ExecuteContextC(ctx)
	defer a.closeLog() // after the failure is logged
	if err == nil {
		return exitOK
	}
	code := exitUsage
	var ee *exitError
	if errors.As(err, &ee) {
		code = ee.code
	} else {
		// Cobra's own errors: unknown command or flag, wrong number of arguments.
		help := "confab --help"
		if cmd != nil {
			help = cmd.CommandPath() + " --help"
		}
		err = &exitError{code: exitUsage, what: err.Error(), hint: "see " + help}
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		// Interrupted by the user: say so briefly.
		err = &exitError{what: "interrupted"}
		code = exitInterrupted
	}
	line := sanitize.Line(a.redactor.Redact("confab: " + err.Error()))
	a.logError(line)
	fmt.Fprintln(a.stderr, line)
	if errors.As(err, &ee) && ee.detail != "" {
		fmt.Fprint(a.stderr, a.redactor.Redact(ee.detail))
	}
	return code
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "confab",
		Short: "Explore conversation logs of Moveworks, Talkdesk and OpenDialog in the terminal",
		Long: `confab is a terminal explorer for conversation logs held by conversational-AI platforms.

Run without a command, it opens the TUI on the sources of the config file (see 'confab config
path'). 'confab demo' opens it against built-in mock vendors, with nothing to configure.

Secrets never go in the config file: confab reads them from CONFAB_SECRET_<NAME>, the source's
secret_command, or the OS keyring (service "confab", account = source name).`,
		Args:              cobra.NoArgs,
		SilenceUsage:      true,
		SilenceErrors:     true,
		CompletionOptions: cobra.CompletionOptions{}, // 'confab completion SHELL' (completionCommand)
		Version:           client.Version,            // --version prints what 'confab version' prints
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error { return a.openLog() },
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runConfigured(cmd.Context())
		},
	}
	root.SetVersionTemplate(versionLine())
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return usageError("see "+cmd.CommandPath()+" --help", "%v", err)
	})
	pf := root.PersistentFlags()
	pf.StringVar(&a.configFlag, "config", "", "config file (default $CONFAB_CONFIG, else $XDG_CONFIG_HOME/confab/config.toml)")
	pf.BoolVar(&a.offline, "offline", false, "never touch the network: list, export and search read the local store ('confab sync' fills it)")
	pf.BoolVar(&a.noCache, "no-cache", false, "do not open the local store (commands that need it refuse to run)")
	pf.BoolVar(&a.noMouse, "no-mouse", false, "TUI: leave the mouse to the terminal, so its text selection works (config: mouse = false)")
	pf.StringVar(&a.debugLog, "debug-log", "", "append a debug log of requests to `FILE` (never headers or secrets)")
	root.AddCommand(
		a.demoCommand(),
		a.mockCommand(),
		a.listCommand(),
		a.exportCommand(),
		a.syncCommand(),
		a.searchCommand(),
		a.cacheCommand(),
		a.configCommand(),
		a.authCommand(),
		a.versionCommand(),
	)
	completionCommand(root, a.stdout, a.stderr)
	return root
}

// completionCommand sets up cobra's 'completion' command: 'confab completion bash|zsh|fish|
// powershell' prints the shell's completion script; any other shell is a usage error.
func completionCommand(root *cobra.Command, stdout, stderr io.Writer) {
	// The scripts go to the writer the root has when the command is made.
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			c.Args = cobra.ArbitraryArgs
			c.RunE = func(cmd *cobra.Command, args []string) error {
				if len(args) == 0 {
					return usageError("e.g. confab completion bash", "completion needs a shell: bash, zsh, fish or powershell")
				}
				return usageError("use bash, zsh, fish or powershell", "completion: unknown shell %q", args[0])
			}
			c.Long = `Print the script that completes confab's commands and flags in a shell.

  bash:  source <(confab completion bash)      (or write it to ~/.local/share/bash-completion/completions/confab)
  zsh:   confab completion zsh > "${fpath[1]}/_confab"
  fish:  confab completion fish > ~/.config/fish/completions/confab.fish`
		}
	}
}

// exactArgs is cobra.ExactArgs with a usage error that names the arguments.
func exactArgs(names ...string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != len(names) {
			want := "no arguments"
			if len(names) > 0 {
				want = strings.Join(names, " and ")
			}
			return usageError("see "+cmd.CommandPath()+" --help",
				"%s takes %s (got %d argument%s)", strings.TrimPrefix(cmd.CommandPath(), "confab "), want, len(args), plural(len(args)))
		}
		return nil
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func (a *app) openLog() error {
	if a.debugLog == "" || a.logFile != nil {
		return nil
	}
	f, err := os.OpenFile(a.debugLog, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return usageError("check --debug-log", "cannot open the debug log: %v", err)
	}
	a.logFile = f
	a.logger = slog.New(client.RedactHandler(slog.NewJSONHandler(f, &slog.HandlerOptions{Level: slog.LevelDebug}), a.redactor))
	a.logger.Debug("confab start", "version", client.Version, "go", runtime.Version())
	return nil
}

// logError writes the line confab prints on stderr when it fails to the debug log.
func (a *app) logError(line string) {
	if a.logger != nil {
		a.logger.Error("confab failed", "err", line)
	}
}

func (a *app) closeLog() {
	if a.logFile != nil {
		_ = a.logFile.Close()
		a.logFile = nil
	}
}

// loadConfig reads the config file. A missing default file is an empty configuration; a
// missing file the user named (--config, CONFAB_CONFIG) is an error.
func (a *app) loadConfig() (*config.Config, error) {
	path, explicit, err := config.Path(a.configFlag, a.getenv)
	if err != nil {
		return nil, usageError("", "%v", err)
	}
	var cfg *config.Config
	if explicit {
		cfg, err = config.Loader{Vendors: a.registry()}.Load(path)
	} else {
		cfg, err = config.Loader{Vendors: a.registry()}.LoadOrEmpty(path)
	}
	if err != nil {
		var cerr *config.Error
		switch {
		case errors.As(err, &cerr):
			hint := "fix the config file"
			if n := len(cerr.Problems); n > 1 {
				hint = fmt.Sprintf("run 'confab config check' to see all %d problems", n)
			}
			return nil, &exitError{code: exitUsage, what: cerr.Problems[0].String(), hint: hint, err: err}
		case errors.Is(err, fs.ErrNotExist):
			return nil, usageError("check --config or CONFAB_CONFIG, or write one ('confab mock --write-config FILE' writes an example)",
				"config file %s does not exist", path)
		default:
			return nil, usageError("check the file's permissions", "%v", err)
		}
	}
	return cfg, nil
}

// configSource returns the configured source named name, or a usage error naming the
// configured ones.
func configSource(cfg *config.Config, name string) (config.Source, error) {
	if s, ok := cfg.Source(name); ok {
		return s, nil
	}
	names := cfg.SourceNames()
	if len(names) == 0 {
		return config.Source{}, usageError("add a [[source]] to "+cfg.Path+" or try 'confab demo'", "unknown source %q: no sources are configured", name)
	}
	return config.Source{}, usageError("configured sources: "+strings.Join(names, ", "), "unknown source %q", name)
}

func (a *app) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print confab's version",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprint(a.stdout, versionLine())
			return err
		},
	}
}

// versionLine is what 'confab version' and 'confab --version' print.
func versionLine() string {
	return fmt.Sprintf("confab %s (%s)\n", client.Version, runtime.Version())
}
