package secret

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

const (
	// maxOutput bounds what a secret_command may print on standard output.
	maxOutput = 64 << 10
	// maxStderr bounds the standard error kept from a secret_command.
	maxStderr = 8 << 10
	// maxStderrShown bounds the standard error quoted in an error message, in characters.
	maxStderrShown = 300
	// commandWaitDelay is how long to wait for the output pipes to close after the command
	// exits or is killed (a grandchild may hold them open).
	commandWaitDelay = time.Second
)

// limitedBuffer keeps the first max bytes written to it and counts the rest.
type limitedBuffer struct {
	buf      []byte
	max      int
	overflow int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	room := b.max - len(b.buf)
	if room > len(p) {
		room = len(p)
	}
	if room > 0 {
		b.buf = append(b.buf, p[:room]...)
	}
	b.overflow += len(p) - room
	return len(p), nil
}

func commandError(op, source string, cause error, reason string) *Error {
	return &Error{Op: op, Source: source, Origin: OriginCommand, kind: ErrCommand,
		Reason: "secret_command: " + reason, err: cause}
}

// lookCommand checks that the program of a secret_command can be found.
func lookCommand(op, source string, argv []string) error {
	if len(argv) == 0 || argv[0] == "" {
		return commandError(op, source, nil, "the program name is empty")
	}
	if _, err := exec.LookPath(argv[0]); err != nil {
		reason := fmt.Sprintf("cannot run %q: ", argv[0])
		switch {
		case errors.Is(err, exec.ErrNotFound):
			reason += "not found in PATH"
		default:
			reason += sanitize(err.Error(), 200)
		}
		return commandError(op, source, err, reason)
	}
	return nil
}

// runCommand runs argv (no shell) with stdin from the null device, within timeout, and returns
// its standard output without trailing white space. Failures say what happened and quote the
// command's standard error, sanitized, truncated to maxStderrShown characters and with the
// secret (its standard output, if any) and anything that looks like a credential redacted;
// the standard output itself is never shown. Only the program name of argv is shown: the arguments may hold a session key.
func runCommand(ctx context.Context, source string, argv []string, timeout time.Duration) (string, error) {
	if err := lookCommand("resolve", source, argv); err != nil {
		return "", err
	}
	if err := ctx.Err(); err != nil {
		return "", commandError("resolve", source, err, "cancelled: "+err.Error())
	}
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(cctx, argv[0], argv[1:]...)
	stdout := &limitedBuffer{max: maxOutput}
	stderr := &limitedBuffer{max: maxStderr}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.WaitDelay = commandWaitDelay
	runErr := cmd.Run()

	out := strings.TrimRight(string(stdout.buf), " \t\r\n")
	quoteStderr := func() string {
		s := sanitize(redactLikely(redact(string(stderr.buf), out)), maxStderrShown)
		if s == "" {
			return "nothing on standard error"
		}
		return "standard error: " + s
	}
	name := fmt.Sprintf("%q", argv[0])
	switch {
	case ctx.Err() != nil:
		return "", commandError("resolve", source, ctx.Err(), "cancelled: "+ctx.Err().Error())
	case cctx.Err() != nil:
		return "", commandError("resolve", source, timeoutError{timeout},
			fmt.Sprintf("%s did not finish within %v and was killed; %s", name, timeout, quoteStderr()))
	case runErr != nil:
		var ee *exec.ExitError
		if errors.As(runErr, &ee) {
			return "", commandError("resolve", source, runErr,
				fmt.Sprintf("%s failed (%s); %s", name, ee.ProcessState.String(), quoteStderr()))
		}
		return "", commandError("resolve", source, runErr,
			fmt.Sprintf("cannot run %s: %s", name, sanitize(redactLikely(redact(runErr.Error(), out)), 200)))
	case stdout.overflow > 0:
		return "", commandError("resolve", source, nil,
			fmt.Sprintf("%s printed more than %d KiB; a secret is expected", name, maxOutput>>10))
	case out == "":
		return "", commandError("resolve", source, nil,
			fmt.Sprintf("%s printed nothing on standard output; %s", name, quoteStderr()))
	case strings.ContainsAny(out, "\r\n"):
		return "", commandError("resolve", source, nil, fmt.Sprintf(
			"%s printed %d lines; the secret must be a single line (a pass entry with more lines needs a wrapper that prints only the first)",
			name, strings.Count(strings.ReplaceAll(out, "\r\n", "\n"), "\n")+1))
	}
	return out, nil
}
