package tui

import (
	"os"
	"testing"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/moveworks"
	"github.com/confab-dev/confab/client/opendialog"
	"github.com/confab-dev/confab/client/talkdesk"
)

// TestMain registers the three vendors in client.Vendors, as cmd/confab does at start-up:
// saving a view validates the config, which asks each source's descriptor.
func TestMain(m *testing.M) {
	client.Register(&moveworks.Descriptor)
	client.Register(&talkdesk.Descriptor)
	client.Register(&opendialog.Descriptor)
	os.Exit(m.Run())
}
