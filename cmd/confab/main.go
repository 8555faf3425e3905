// Command confab is a terminal explorer for the conversation logs of conversational-AI
// platforms (Moveworks, Talkdesk, OpenDialog).
//
// Run `confab --help` for the commands. Exit codes: 0 success, 1 runtime failure, 2 usage or
// configuration error, 130 interrupted (ctrl+c or SIGTERM: what was in flight is cancelled).
// Errors are one line on stderr: "confab: <what failed>: <what to do>".
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// The first signal cancels what is in flight and confab winds down; a second one
		// kills it the usual way.
		<-ctx.Done()
		stop()
	}()
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}
