package secret

import (
	"context"
	"os"
	"testing"
	"time"
)

func TestZZTiming(t *testing.T) {
	r := &Resolver{Keyring: OSKeyring(), Getenv: os.Getenv}
	for _, op := range []string{"probe", "get", "store", "delete"} {
		start := time.Now()
		var err error
		switch op {
		case "probe":
			err = r.Probe(context.Background())
		case "get":
			_, _, err = r.Resolve(context.Background(), "zz", nil)
		case "store":
			err = r.Store(context.Background(), "zz", "v")
		case "delete":
			err = r.Delete(context.Background(), "zz")
		}
		t.Logf("%s: %v: %v", op, time.Since(start), err)
	}
}
