package config

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const viewBase = `# my confab config
# a comment that must survive

[[source]]
name = "mw" # trailing comment
kind = "moveworks"
region = "us"

[[view]]
name = "it"
source = "mw"
filter = "primary_domain eq 'IT'"`

func TestAppendView(t *testing.T) {
	tests := []struct {
		name    string
		view    View
		wantErr string
	}{
		{"filter and order", View{Name: "dm oldest", Source: "mw", Filter: `route eq 'DM' and user_id eq "x\y"`, Order: "oldest"}, ""},
		{"no filter", View{Name: "all", Source: "mw"}, ""},
		{"control characters quoted", View{Name: "odd\tname", Source: "mw", Filter: "a\x01b"}, ""},
		{"duplicate name", View{Name: "it", Source: "mw"}, "duplicate name"},
		{"unknown source", View{Name: "x", Source: "nope"}, "not a configured source"},
		{"no name", View{Source: "mw"}, "needs a name"},
		{"bad order", View{Name: "y", Source: "mw", Order: "sideways"}, "order"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.toml")
			if err := os.WriteFile(path, []byte(viewBase), 0o600); err != nil {
				t.Fatal(err)
			}
			err := AppendView(context.Background(), path, tt.view)
			data, rerr := os.ReadFile(path)
			if rerr != nil {
				t.Fatal(rerr)
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				if string(data) != viewBase {
					t.Fatalf("a refused view changed the file:\n%s", data)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(string(data), viewBase+"\n") {
				t.Fatalf("the existing contents changed:\n%s", data)
			}
			cfg, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			if len(cfg.Views) != 2 {
				t.Fatalf("views = %+v", cfg.Views)
			}
			got := cfg.Views[1]
			want := tt.view
			if want.Order == "" {
				want.Order = "newest"
			}
			if got.Name != want.Name || got.Source != want.Source || got.Filter != want.Filter || got.Order != want.Order {
				t.Fatalf("view read back = %+v, want %+v", got, want)
			}
		})
	}
}

func TestAppendViewMissingFileAndContext(t *testing.T) {
	path := filepath.Join(t.TempDir(), "none.toml")
	if err := AppendView(context.Background(), path, View{Name: "x", Source: "mw"}); err == nil {
		t.Fatal("AppendView to a missing file succeeded")
	}
	if err := AppendView(context.Background(), "", View{Name: "x", Source: "mw"}); err == nil {
		t.Fatal("AppendView with no path succeeded")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := AppendView(ctx, path, View{Name: "x", Source: "mw"}); err == nil {
		t.Fatal("AppendView with a cancelled context succeeded")
	}
}
