package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/confab-dev/confab/client"
)

// retryNoticeMin is the shortest wait `list` and `export` mention on stderr: quick retries
// of a flaky body stay quiet, a rate limit that holds the command for seconds does not.
const retryNoticeMin = time.Second

// noticeRetries returns ctx with every retry of source name that waits retryNoticeMin or
// longer announced on stderr, so a command waiting out a rate limit says why it is quiet:
//
//	confab: mw: rate limited (HTTP 429) — retrying in 8s (retry 3)
func (a *app) noticeRetries(ctx context.Context, name string) context.Context {
	return client.WithRetryNotify(ctx, func(ev client.RetryEvent) {
		if ev.Wait < retryNoticeMin {
			return
		}
		why := "request failed"
		var ae *client.APIError
		if errors.As(ev.Err, &ae) {
			why = ae.Kind.Error()
			if ae.Status != 0 {
				why = fmt.Sprintf("%s (HTTP %d)", why, ae.Status)
			}
		}
		fmt.Fprintf(a.stderr, "confab: %s: %s — retrying in %s (retry %d)\n",
			name, why, ev.Wait.Round(time.Second), ev.Attempt)
	})
}
