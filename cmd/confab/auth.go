package main

// confab auth login / logout / status: a source's secret in the OS keyring.
//
// The secret is read from a hidden prompt when stdin is a terminal and from stdin otherwise,
// never from a flag or an argument (those show up in ps and in shell history). It is checked
// against the source before it is stored, and it is only ever stored in the OS keyring: when
// the keyring cannot be used, login fails and names the two alternatives.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/sanitize"
	"github.com/confab-dev/confab/store/config"
	"github.com/confab-dev/confab/store/secret"
)

const (
	// verifyTimeout bounds the whole credential check (token request and first page).
	verifyTimeout = 20 * time.Second
	// maxSecretInput bounds what 'auth login' reads from a non-terminal stdin.
	maxSecretInput = 64 << 10
)

// prompter asks the user for one line on an interactive terminal. A hidden line is not echoed.
// Tests give the app a stdin that implements it to stand in for a terminal.
type prompter interface {
	Prompt(ctx context.Context, prompt string, hidden bool) (string, error)
}

// ttyPrompter prompts on a terminal: the prompt goes to out, the answer comes from in.
type ttyPrompter struct {
	in  *os.File
	out io.Writer
}

// Prompt implements prompter. An interrupt (ctx cancelled) restores the terminal's state, so
// echo is not left off.
func (p ttyPrompter) Prompt(ctx context.Context, prompt string, hidden bool) (string, error) {
	fd := p.in.Fd()
	state, err := term.GetState(fd)
	if err != nil {
		return "", fmt.Errorf("read the terminal state: %w", err)
	}
	fmt.Fprint(p.out, prompt)
	type result struct {
		s   string
		err error
	}
	done := make(chan result, 1)
	go func() {
		if hidden {
			b, err := term.ReadPassword(fd)
			done <- result{string(b), err}
			return
		}
		var line []byte
		buf := make([]byte, 1)
		for {
			n, err := p.in.Read(buf)
			if n == 1 && buf[0] != '\n' {
				line = append(line, buf[0])
			}
			if n == 1 && buf[0] == '\n' || err != nil {
				if len(line) > 0 && errors.Is(err, io.EOF) {
					err = nil
				}
				done <- result{string(line), err}
				return
			}
		}
	}()
	select {
	case r := <-done:
		if hidden {
			fmt.Fprintln(p.out) // the user's Enter was not echoed
		}
		if r.err != nil {
			return "", fmt.Errorf("read the terminal: %w", r.err)
		}
		return r.s, nil
	case <-ctx.Done():
		_ = term.Restore(fd, state)
		fmt.Fprintln(p.out)
		return "", ctx.Err()
	}
}

// input returns the app's stdin, and a prompter when stdin is an interactive terminal.
func (a *app) input() (io.Reader, prompter) {
	in := a.stdin
	if in == nil {
		in = os.Stdin
	}
	if p, ok := in.(prompter); ok {
		return in, p
	}
	if f, ok := in.(*os.File); ok && term.IsTerminal(f.Fd()) {
		return in, ttyPrompter{in: f, out: a.stderr}
	}
	return in, nil
}

// secretLabel names what a source's secret is, for prompts and messages.
func secretLabel(s config.Source) string {
	switch s.Auth {
	case config.AuthOAuth2:
		return "client secret"
	case config.AuthBearer:
		return "API token"
	}
	return "API key"
}

func (a *app) authCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "auth",
		Short: "Store, remove and check the credentials of sources (OS keyring)",
		Long: `Manage the credentials of configured sources.

A source's secret (an API key, an OAuth client secret or a token) comes from, in order:
  1. the environment variable CONFAB_SECRET_<NAME> (the source name upper-cased, other
     characters as '_'), e.g. CONFAB_SECRET_MW;
  2. the source's secret_command in the config, e.g. secret_command = ["pass", "show", "confab/mw"];
  3. the OS keyring (service "confab", account = the source name), written by 'confab auth login'.

confab never writes a secret to a file: when the OS keyring cannot be used (no D-Bus session
bus, no Secret Service, a locked keyring), use the environment variable or secret_command.
CONFAB_KEYRING_TIMEOUT (e.g. 10s) bounds every keyring call (default 5s for reads, 60s for
writes and for the check before a login, which may raise an unlock prompt).`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(a.authLoginCommand(), a.authLogoutCommand(), a.authStatusCommand())
	return cmd
}

func (a *app) authLoginCommand() *cobra.Command {
	var noVerify bool
	cmd := &cobra.Command{
		Use:   "login SOURCE",
		Short: "Check a source's secret and store it in the OS keyring",
		Long: `Read the secret of SOURCE, check it against the source, and store it in the OS keyring.

On a terminal, confab asks for the secret without echoing it. Otherwise it reads the secret from
standard input (one line; trailing white space and newline are removed). There is no flag for
the secret: arguments show up in ps and in shell history.

An OAuth2 source without client_id in the config asks for it on the terminal and writes it into
that source's [[source]] block of the config file (the client id is not a secret; the client
secret goes to the keyring).

The secret is stored only if the source accepts it (one small request); --no-verify stores it
unchecked.`,
		Example: `  confab auth login mw
  printf %s "$MW_KEY" | confab auth login mw
  pass show confab/mw | confab auth login mw`,
		Args: exactArgs("SOURCE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.authLogin(cmd.Context(), args[0], !noVerify)
		},
	}
	cmd.Flags().BoolVar(&noVerify, "no-verify", false, "store the secret without checking it against the source")
	return cmd
}

func (a *app) authLogoutCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "logout SOURCE",
		Short: "Remove a source's secret from the OS keyring",
		Long: `Remove the secret of SOURCE from the OS keyring. CONFAB_SECRET_<NAME> and secret_command
are not touched.`,
		Args: exactArgs("SOURCE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.authLogout(cmd.Context(), args[0])
		},
	}
}

func (a *app) authStatusCommand() *cobra.Command {
	var check bool
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show where each source's secret comes from",
		Long: `Show whether the OS keyring is reachable and, for each configured source, where its secret
comes from: env (CONFAB_SECRET_<NAME>), command (secret_command), keyring, or missing.

--check also sends one small request per source to see whether the credential is accepted now,
and exits 1 when one is not. Secrets are never printed.`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.authStatus(cmd.Context(), check)
		},
	}
	cmd.Flags().BoolVar(&check, "check", false, "check each credential against its source")
	return cmd
}

// loginResolver is the resolver used by login: unless CONFAB_KEYRING_TIMEOUT says otherwise,
// its probe gets the write timeout, since the probe is what may raise the keyring's unlock
// prompt, and a person needs time to answer it.
func (a *app) loginResolver() *secret.Resolver {
	r := a.resolver()
	if strings.TrimSpace(a.getenv(secret.TimeoutEnv)) == "" {
		r.ReadTimeout = secret.DefaultWriteTimeout
	}
	return r
}

// keyringUnavailable is the error of a login or logout that cannot use the keyring: the reason,
// and the two ways out.
func keyringUnavailable(op, name string, err error) error {
	reason := err.Error()
	var se *secret.Error
	if errors.As(err, &se) && se.Reason != "" {
		reason = se.Reason
	}
	return &exitError{code: exitFailure, err: err,
		what: fmt.Sprintf("cannot %s the secret of source %q: %s", op, name, reason),
		hint: fmt.Sprintf("nothing was stored; instead, set %s in the environment or add secret_command (e.g. [\"pass\", \"show\", \"confab/%s\"]) to source %q in the config",
			secret.EnvName(name), name, name)}
}

func (a *app) authLogin(ctx context.Context, name string, verify bool) error {
	cfg, err := a.loadConfig()
	if err != nil {
		return err
	}
	sc, err := configSource(cfg, name)
	if err != nil {
		return err
	}
	in, tty := a.input()
	needClientID := sc.Auth == config.AuthOAuth2 && sc.ClientID == ""
	if needClientID && tty == nil {
		return usageError(fmt.Sprintf("add client_id = \"…\" to source %q in %s, or run 'confab auth login %s' on a terminal to be asked for it",
			name, cfg.Path, name),
			"source %q uses oauth2 but has no client_id, and standard input is not a terminal to ask for it", name)
	}
	a.debug("auth login", "source", name, "kind", sc.Kind, "verify", verify, "terminal", tty != nil)

	// The keyring first: when it cannot be used, fail before the user types a secret.
	r := a.loginResolver()
	if err := r.Probe(ctx); err != nil {
		if ctx.Err() != nil {
			return failure(ctx.Err(), "auth login")
		}
		return keyringUnavailable("store", name, err)
	}

	if needClientID {
		id, err := tty.Prompt(ctx, fmt.Sprintf("Client ID for source %q: ", name), false)
		if err != nil {
			return failure(err, "auth login")
		}
		if id, err = checkClientID(id); err != nil {
			return usageError("", "%v", err)
		}
		sc.ClientID = id
	}
	value, err := a.readSecret(ctx, in, tty, sc)
	if err != nil {
		return err
	}

	if verify {
		if tty != nil { // on a terminal, say why there is a pause; in a pipe, stay quiet
			fmt.Fprintf(a.stderr, "Checking the %s with source %q…\n", secretLabel(sc), name)
		}
		if err := a.verifyCredential(ctx, sc, value); err != nil {
			return a.verifyFailure(sc, err)
		}
	}
	if err := r.Store(ctx, name, value); err != nil {
		if ctx.Err() != nil {
			return failure(ctx.Err(), "auth login")
		}
		if errors.Is(err, secret.ErrUnavailable) {
			return keyringUnavailable("store", name, err)
		}
		return &exitError{code: exitFailure, what: err.Error(), err: err, hint: "nothing was stored"}
	}
	a.debug("auth login stored", "source", name)
	if needClientID {
		if err := config.SetClientID(ctx, cfg.Path, sc); err != nil {
			return &exitError{code: exitFailure, err: err,
				what: fmt.Sprintf("the secret was stored, but client_id could not be written to %s: %v", cfg.Path, err),
				hint: fmt.Sprintf("add client_id = %s to source %q by hand", config.QuoteString(sc.ClientID), name)}
		}
		fmt.Fprintf(a.stdout, "Wrote client_id to source %q in %s.\n", name, cfg.Path)
	}
	checked := "checked with the source and stored"
	if !verify {
		checked = "stored without checking it"
	}
	fmt.Fprintf(a.stdout, "The %s of source %q was %s in the OS keyring (service %q, account %q).\n",
		secretLabel(sc), name, checked, secret.Service, name)
	switch {
	case a.getenv(secret.EnvName(name)) != "":
		fmt.Fprintf(a.stderr, "Note: %s is set; it takes precedence over the keyring while it is set.\n", secret.EnvName(name))
	case len(sc.SecretCommand) > 0:
		fmt.Fprintf(a.stderr, "Note: source %q has secret_command, which takes precedence over the keyring; remove it from the config to use the stored secret.\n", name)
	}
	return nil
}

// readSecret reads the secret of sc from the terminal (hidden) or from in.
func (a *app) readSecret(ctx context.Context, in io.Reader, tty prompter, sc config.Source) (string, error) {
	label := secretLabel(sc)
	var raw string
	if tty != nil {
		s, err := tty.Prompt(ctx, fmt.Sprintf("%s for source %q (input hidden): ", upperFirst(label), sc.Name), true)
		if err != nil {
			return "", failure(err, "auth login")
		}
		raw = s
	} else {
		s, err := readAll(ctx, in, maxSecretInput)
		if err != nil {
			return "", failure(err, "auth login: read the %s from standard input", label)
		}
		raw = s
	}
	value := strings.TrimRight(raw, " \t\r\n")
	value = strings.TrimLeft(value, " \t\r\n")
	hint := fmt.Sprintf("pipe it in, e.g. printf %%s \"$KEY\" | confab auth login %s", sc.Name)
	if tty != nil {
		hint = "paste it at the prompt"
	}
	switch {
	case value == "":
		return "", usageError(hint, "no %s was given for source %q; nothing was stored", label, sc.Name)
	case len(raw) > maxSecretInput:
		return "", usageError("", "the input is longer than %d KiB; a %s is expected", maxSecretInput>>10, label)
	case strings.ContainsAny(value, "\r\n"):
		return "", usageError("give the secret alone on one line", "the %s must be a single line (got %d lines); nothing was stored",
			label, strings.Count(strings.ReplaceAll(value, "\r\n", "\n"), "\n")+1)
	case strings.IndexFunc(value, unicode.IsControl) >= 0:
		return "", usageError("", "the %s contains control characters; nothing was stored", label)
	}
	return value, nil
}

// readAll reads at most max+1 bytes from r, giving up when ctx ends (a pipe nobody closes).
func readAll(ctx context.Context, r io.Reader, max int64) (string, error) {
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		b, err := io.ReadAll(io.LimitReader(r, max+1))
		done <- result{b, err}
	}()
	select {
	case res := <-done:
		return string(res.b), res.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// checkClientID trims a client id typed at the prompt and rejects one that cannot be right.
func checkClientID(id string) (string, error) {
	id = strings.TrimSpace(id)
	switch {
	case id == "":
		return "", errors.New("no client id was given; nothing was stored")
	case strings.IndexFunc(id, unicode.IsControl) >= 0:
		return "", errors.New("the client id contains control characters; nothing was stored")
	case len(id) > 1024:
		return "", errors.New("the client id is longer than 1024 bytes; nothing was stored")
	}
	return id, nil
}

// verifyCredential checks secretValue against source s with one small request (for OAuth2, the
// token request comes first): the first page of conversations, one row, no retries, within
// verifyTimeout. Its error wraps client.ErrAuth when the source refused the credential. The
// secret never appears in the error.
func (a *app) verifyCredential(ctx context.Context, s config.Source, secretValue string) error {
	vendor, ok := a.vendor(s.Kind)
	if !ok {
		return fmt.Errorf("kind %s is %w", s.Kind, errUnsupportedKind)
	}
	a.redactor.Add(secretValue)
	opts := a.httpOptions(s)
	opts.MaxRetries = -1
	if opts.Timeout <= 0 || opts.Timeout > verifyTimeout {
		opts.Timeout = verifyTimeout
	}
	src, err := a.build(vendor, s, secretValue, opts)
	if err != nil {
		return redactErr(err, secretValue)
	}
	ctx, cancel := context.WithTimeout(ctx, verifyTimeout)
	defer cancel()
	_, err = src.Conversations(ctx, client.Query{PageSize: 1}, "")
	if err != nil {
		a.debug("credential check failed", "source", s.Name, "err", redact(err.Error(), secretValue))
		return redactErr(err, secretValue)
	}
	a.debug("credential check passed", "source", s.Name)
	return nil
}

// verifyFailure is the error of a login whose check failed. Bad credentials (ErrAuth: a
// 401, or a token endpoint's invalid_client/invalid_grant) and a credential that is valid but
// not permitted (ErrForbidden: a 403, or invalid_scope) are told apart, each with what the
// vendor said and, for the latter, the scope or role the vendor documents.
func (a *app) verifyFailure(sc config.Source, err error) error {
	name := sc.Name
	if errors.Is(err, client.ErrAuth) {
		hint := fmt.Sprintf("check it and run 'confab auth login %s' again", name)
		var he *client.HintError
		if errors.As(err, &he) {
			hint = client.HintFor(name, he) // e.g. Moveworks: the other api_key_style
		}
		return &exitError{code: exitFailure, err: err,
			what: fmt.Sprintf("the credential was refused by %s%s (bad credentials); nothing was stored", name, refusalDetail(err)),
			hint: hint + a.newScopeNote(sc, err)}
	}
	if errors.Is(err, client.ErrForbidden) {
		return &exitError{code: exitFailure, err: err,
			what: fmt.Sprintf("source %s accepted the credential but does not permit reading conversations with it%s (not permitted); nothing was stored",
				name, refusalDetail(err)),
			hint: a.permissionAdvice(sc, err) + ", or use --no-verify to store it unchecked"}
	}
	if errors.Is(err, errUnsupportedKind) {
		return &exitError{code: exitFailure, err: err,
			what: fmt.Sprintf("cannot check the credential of source %q: %v; nothing was stored", name, err),
			hint: "use --no-verify to store it unchecked"}
	}
	hint := client.Hint(err)
	if hint != "" {
		hint += ", or "
	}
	return &exitError{code: exitFailure, err: err,
		what: fmt.Sprintf("cannot check the credential with source %q: %v; nothing was stored", name, err),
		hint: hint + "use --no-verify to store it unchecked"}
}

// redactedError is an error whose text had a secret replaced; it still matches the original's
// client error kinds (errors.Is) and *client.APIError (errors.As) when that held no secret.
type redactedError struct {
	msg string
	err error // the original, reachable only through Unwrap for errors.Is/As
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

func redact(s, secretValue string) string {
	if secretValue == "" {
		return s
	}
	return strings.ReplaceAll(s, secretValue, "[redacted]")
}

// redactErr returns err with secretValue removed from its text. When the text held the secret,
// only the client error kind is kept as the cause, so no unwrapping can reach the secret.
func redactErr(err error, secretValue string) error {
	if err == nil || secretValue == "" || !strings.Contains(err.Error(), secretValue) {
		return err
	}
	var kind error
	for _, k := range []error{client.ErrAuth, client.ErrForbidden, client.ErrRateLimited, client.ErrBadFilter, client.ErrUnavailable,
		client.ErrConnect, client.ErrBadResponse, client.ErrNotFound, client.ErrForeignHost} {
		if errors.Is(err, k) {
			kind = k
			break
		}
	}
	return &redactedError{msg: redact(err.Error(), secretValue), err: kind}
}

func (a *app) authLogout(ctx context.Context, name string) error {
	cfg, err := a.loadConfig()
	if err != nil {
		return err
	}
	// A source removed from the config may still have a secret in the keyring: allow it.
	sc, known := cfg.Source(name)
	a.debug("auth logout", "source", name, "configured", known)
	err = a.resolver().Delete(ctx, name)
	switch {
	case err == nil:
		fmt.Fprintf(a.stdout, "Removed the secret of source %q from the OS keyring.\n", name)
	case ctx.Err() != nil:
		return failure(ctx.Err(), "auth logout")
	case errors.Is(err, secret.ErrNotFound):
		if !known {
			if _, err := configSource(cfg, name); err != nil {
				return err // the usual "unknown source" message
			}
		}
		return &exitError{code: exitFailure, err: err,
			what: fmt.Sprintf("source %q has no secret in the OS keyring; nothing was removed", name)}
	case errors.Is(err, secret.ErrUnavailable):
		e := keyringUnavailable("delete", name, err).(*exitError)
		e.hint = ""
		return e
	default:
		return &exitError{code: exitFailure, what: err.Error(), err: err}
	}
	switch {
	case a.getenv(secret.EnvName(name)) != "":
		fmt.Fprintf(a.stderr, "Note: %s is still set in the environment; confab uses it.\n", secret.EnvName(name))
	case known && len(sc.SecretCommand) > 0:
		fmt.Fprintf(a.stderr, "Note: source %q still has secret_command; confab uses it.\n", name)
	}
	return nil
}

// sourceStatus is one row of 'auth status'.
type sourceStatus struct {
	name, kind string
	from       string // env (…), command (…), keyring, missing, …
	check      string // with --check: accepted, refused (HTTP 401), …
	ok         bool   // with --check: the credential was accepted
}

func (a *app) authStatus(ctx context.Context, check bool) error {
	cfg, err := a.loadConfig()
	if err != nil {
		return err
	}
	r := a.resolver()
	// The keyring is probed once: when it is unreachable, no source's keyring entry is read,
	// so a hung keyring costs one timeout, not one per source.
	probeErr := r.Probe(ctx)
	if ctx.Err() != nil {
		return failure(ctx.Err(), "auth status")
	}
	if probeErr == nil {
		fmt.Fprintln(a.stdout, "OS keyring: reachable")
	} else {
		fmt.Fprintln(a.stdout, sanitize.Line("OS keyring: "+strings.TrimPrefix(reasonOf(probeErr), "the OS keyring is ")))
		fmt.Fprintf(a.stdout, "  (sources can use %s<NAME> or secret_command instead)\n", secret.EnvPrefix)
	}
	a.debug("auth status", "keyring", probeErr == nil, "check", check)
	if len(cfg.Sources) == 0 {
		fmt.Fprintf(a.stdout, "No sources are configured in %s.\n", cfg.Path)
		return nil
	}
	rows := make([]sourceStatus, 0, len(cfg.Sources))
	for _, s := range cfg.Sources {
		row := a.statusOf(ctx, r, s, probeErr)
		if check {
			row.check, row.ok = a.checkStatus(ctx, r, s, row)
		}
		if ctx.Err() != nil {
			return failure(ctx.Err(), "auth status")
		}
		rows = append(rows, row)
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	header := "SOURCE\tKIND\tSECRET FROM"
	if check {
		header += "\tCHECK"
	}
	fmt.Fprintln(tw, header)
	var bad []string
	for _, row := range rows {
		cells := []string{row.name, row.kind, row.from}
		if check {
			cells = append(cells, row.check)
			if !row.ok {
				bad = append(bad, row.name)
			}
		}
		for i, c := range cells {
			cells[i] = sanitize.Line(c)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return failure(err, "auth status")
	}
	if len(bad) > 0 {
		return &exitError{code: exitFailure,
			what: fmt.Sprintf("%d of %d sources have no credential that was accepted now: %s", len(bad), len(rows), strings.Join(bad, ", ")),
			hint: "see the CHECK column; 'confab auth login SOURCE' stores a new secret"}
	}
	return nil
}

// reasonOf returns the reason of a secret error, or its text.
func reasonOf(err error) string {
	var se *secret.Error
	if errors.As(err, &se) && se.Reason != "" {
		return se.Reason
	}
	return err.Error()
}

// statusOf finds where s's secret comes from without reading it from env or command.
func (a *app) statusOf(ctx context.Context, r *secret.Resolver, s config.Source, probeErr error) sourceStatus {
	row := sourceStatus{name: s.Name, kind: s.Kind}
	switch {
	case a.getenv(secret.EnvName(s.Name)) != "":
		row.from = "env (" + secret.EnvName(s.Name) + ")"
		return row
	case len(s.SecretCommand) > 0:
		prog := filepath.Base(s.SecretCommand[0]) // only the program: arguments may hold a key
		if _, err := r.Describe(ctx, s.Name, s.SecretCommand); err != nil {
			row.from = "command (" + prog + ": " + commandProblem(err) + ")"
		} else {
			row.from = "command (" + prog + ")"
		}
		return row
	case probeErr != nil:
		row.from = "unknown (keyring unavailable)"
		return row
	}
	_, err := r.Describe(ctx, s.Name, nil)
	switch {
	case err == nil:
		row.from = "keyring"
	case errors.Is(err, secret.ErrNotFound):
		row.from = "missing (confab auth login " + s.Name + ")"
	case errors.Is(err, secret.ErrUnavailable):
		row.from = "unknown (keyring unavailable)"
	default:
		row.from = "keyring error: " + reasonOf(err)
	}
	return row
}

func commandProblem(err error) string {
	reason := strings.TrimPrefix(reasonOf(err), "secret_command: ")
	if strings.HasSuffix(reason, "not found in PATH") {
		return "not found in PATH"
	}
	return reason
}

// checkStatus resolves s's secret and checks it against the source.
func (a *app) checkStatus(ctx context.Context, r *secret.Resolver, s config.Source, row sourceStatus) (string, bool) {
	if strings.HasPrefix(row.from, "missing") || strings.HasPrefix(row.from, "unknown") {
		return "-", false
	}
	value, _, err := r.Resolve(ctx, s.Name, s.SecretCommand)
	if err != nil {
		return "cannot read the secret", false
	}
	err = a.verifyCredential(ctx, s, value)
	switch {
	case err == nil:
		return "accepted", true
	case errors.Is(err, client.ErrAuth):
		return "refused: bad credentials" + refusalDetail(err), false
	case errors.Is(err, client.ErrForbidden):
		return "not permitted" + refusalDetail(err) + ": " + a.permissionNeed(s, err), false
	case errors.Is(err, errUnsupportedKind):
		return "not checked (kind not supported yet)", false
	default:
		return "not checked: " + sanitize.Line(err.Error()), false
	}
}

// maxVendorSaid bounds, in cells, what a vendor said that auth login and status repeat.
const maxVendorSaid = 120

// refusalDetail is " (HTTP 401 invalid_client: Client authentication failed)" for a refusal:
// the status, the vendor's code and what it said (a token endpoint's error_description, or
// the API's own short message), already redacted; "" when there is no status.
func refusalDetail(err error) string {
	var ae *client.APIError
	if !errors.As(err, &ae) || ae.Status == 0 {
		return ""
	}
	s := fmt.Sprintf("HTTP %d", ae.Status)
	if ae.Code != "" {
		s += " " + sanitize.Truncate(sanitize.Line(ae.Code), 40, "…")
	}
	said := ae.Description
	if said == "" && ae.Message != http.StatusText(ae.Status) && sanitize.Width(ae.Message) <= maxVendorSaid {
		said = ae.Message // the API's own message, when short (not confab's advice)
	}
	if said = sanitize.Truncate(sanitize.Line(said), maxVendorSaid, "…"); said != "" {
		s += ": " + said
	}
	return " (" + s + ")"
}

// access is what a credential of s needs, from its vendor's descriptor (nil when the
// descriptor says nothing, or the kind is unknown).
func (a *app) access(s config.Source) *client.Access {
	if v, ok := a.vendor(s.Kind); ok {
		return v.Access
	}
	return nil
}

// requestedScope is the OAuth scope s requests (the scope of the refusal, else scope in the
// config) when it differs from the documented one, else "".
func requestedScope(s config.Source, documented string, err error) string {
	requested := strings.TrimSpace(s.Scope)
	var ae *client.APIError
	if errors.As(err, &ae) && ae.Scope != "" {
		requested = ae.Scope
	}
	if requested == documented {
		requested = ""
	}
	return requested
}

// permissionNeed says in a few words what a not-permitted credential lacks, per vendor.
func (a *app) permissionNeed(s config.Source, err error) string {
	if ac := a.access(s); ac != nil && ac.Need != nil {
		return ac.Need(requestedScope(s, ac.Scope, err))
	}
	return "check its scope or role"
}

// permissionAdvice says what to do about a not-permitted credential, per vendor.
func (a *app) permissionAdvice(s config.Source, err error) string {
	if ac := a.access(s); ac != nil && ac.Advice != nil {
		return ac.Advice(requestedScope(s, ac.Scope, err))
	}
	return "grant it the scope or role that allows reading conversations"
}

// newScopeNote is the reminder, after a token endpoint's 401 (an error with the scope
// requested: client.OAuth's refusal), that a scope just added to the client takes a few
// minutes to apply, for vendors where it does (Talkdesk: APIS.md §2.3).
func (a *app) newScopeNote(s config.Source, err error) string {
	ac := a.access(s)
	var ae *client.APIError
	if ac == nil || !ac.ScopeTakesTime || !errors.As(err, &ae) || ae.Status != http.StatusUnauthorized || ae.Scope == "" {
		return ""
	}
	return "; if the scope " + ac.Scope + " was just added to the client, wait a few minutes: until it applies the token request is refused with 401"
}

// debug writes to the debug log, if any.
func (a *app) debug(msg string, args ...any) {
	if a.logger != nil {
		a.logger.Debug(msg, args...)
	}
}
