package tui

import (
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// fakeBrowser records the links it is asked to open.
type fakeBrowser struct {
	opened []string
	err    error
}

func (f *fakeBrowser) open(url string) error {
	f.opened = append(f.opened, url)
	return f.err
}

// TestConsoleLink: O copies the selected conversation's console link (the source's
// console_url with the id filled in, percent-encoded) by OSC 52 and the native clipboard,
// shows it in the status bar, and opens it only where a browser may be opened; the status
// says which happened.
func TestConsoleLink(t *testing.T) {
	const tmpl = "https://console.example.com/{source}/conversations/{id}"
	tests := []struct {
		name       string
		urls       map[string]string
		browser    func(*fakeBrowser) Browser
		keys       []tea.Msg // before O
		wantOpen   bool
		wantStatus string // after the link, "" when no link is copied
		wantErr    string // the error status when no link is copied
	}{
		{"copy only, over SSH", map[string]string{"mw": tmpl},
			func(*fakeBrowser) Browser { return Browser{Why: "over SSH ($SSH_CONNECTION is set)"} },
			nil, false, " via OSC 52 + fakeclip; not opened: over SSH ($SSH_CONNECTION is set)", ""},
		{"copy and open", map[string]string{"mw": tmpl},
			func(f *fakeBrowser) Browser { return Browser{Open: f.open, Name: "xdg-open"} },
			nil, true, " via OSC 52 + fakeclip; opened with xdg-open", ""},
		{"the opener fails", map[string]string{"mw": tmpl},
			func(f *fakeBrowser) Browser {
				f.err = errors.New("exit status 3")
				return Browser{Open: f.open, Name: "xdg-open"}
			},
			nil, true, " via OSC 52 + fakeclip; xdg-open failed: exit status 3", ""},
		{"in the thread", map[string]string{"mw": tmpl},
			func(*fakeBrowser) Browser { return Browser{} },
			[]tea.Msg{press("enter")}, false, " via OSC 52 + fakeclip", ""},
		{"no console_url", map[string]string{"other": tmpl},
			func(*fakeBrowser) Browser { return Browser{} },
			nil, false, "", `No console link for mw: add console_url = "https://…/{id}" to its [[source]]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clip, br := &fakeClip{}, &fakeBrowser{}
			a, _, c := copyApp(t, clip, func(d *Deps) {
				d.ConsoleURLs = tt.urls
				d.Browser = tt.browser(br)
			})
			update(t, a, tt.keys...)
			r := runCopy(t, a, press("O"))
			want := "https://console.example.com/mw/conversations/" + c.ID
			if tt.wantErr != "" {
				if len(r.osc)+len(clip.got)+len(br.opened) != 0 || !strings.Contains(r.lastStatus(), tt.wantErr) || r.status[len(r.status)-1].Level != LevelError {
					t.Fatalf("osc %q, clipboard %q, opened %q, status %+v; want only the error %q", r.osc, clip.got, br.opened, r.status, tt.wantErr)
				}
				return
			}
			if len(r.osc) != 1 || r.osc[0] != want || len(clip.got) != 1 || clip.got[0] != want {
				t.Fatalf("OSC 52 %q, clipboard %q; want %q in both", r.osc, clip.got, want)
			}
			if got := r.lastStatus(); got != "Copied console link "+want+tt.wantStatus {
				t.Errorf("status %q, want %q", got, "Copied console link "+want+tt.wantStatus)
			}
			if tt.wantOpen != (len(br.opened) == 1) || (tt.wantOpen && br.opened[0] != want) {
				t.Errorf("opened %q, want open %v", br.opened, tt.wantOpen)
			}
			if !strings.Contains(a.View().Content, "Copied console link https://console.example.com/mw/") {
				t.Errorf("the status bar does not show the link:\n%s", a.View().Content)
			}
		})
	}
}
