package main

import (
	"regexp"
	"strings"
	"testing"
)

var loadedOf = regexp.MustCompile(`of ([\d,]+) loaded|([\d,]+) conversations|([\d,]+) loaded`)

// otherDomains are list rows of conversations outside the IT domain.
var otherDomains = regexp.MustCompile(`(?m)^\s*\w{3} \d\d \d\d:\d\d\s+(HR|OTHER|PAYROLL|LEGAL|FACILITY|FINANCE|TRAVEL_AND_EXPENSE) ·`)

// footerTotal is the total the list footer shows ("100 of 2,345 loaded" → "2,345"), or the
// loaded count when the vendor gives no total ("500 loaded" → "500": Moveworks documents
// $count for interactions only).
func footerTotal(scr string) string {
	m := loadedOf.FindStringSubmatch(scr)
	if m == nil {
		return ""
	}
	return m[1] + m[2] + m[3]
}

// TestE2EFilterBar types an invalid Moveworks filter in `confab demo`, sees the inline error
// with its caret, fixes it and sees the list change.
func TestE2EFilterBar(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	bin := buildBinary(t)
	s := startTmux(t, 120, 40, bin, "demo", "--seed", "7")
	first := s.waitFor("the conversation list", func(scr string) bool {
		return footerTotal(scr) != "" && !strings.Contains(scr, "Refreshing")
	})
	before := footerTotal(first)
	if !otherDomains.MatchString(first) {
		t.Fatalf("the unfiltered list shows no conversation outside IT; the test proves nothing:\n%s", first)
	}

	s.keys("f")
	s.waitFor("the filter bar editing", contains("enter apply"))
	// platform is a field of interactions, not of conversations: an error at column 1.
	s.keys("-l", "platform eq 'slack'")
	scr := s.waitFor("the inline error", contains("invalid filter at column 1:", "field of interactions"))
	if !strings.Contains(scr, "\n        ^") {
		t.Fatalf("no caret under column 1:\n%s", scr)
	}
	if footerTotal(scr) != before {
		t.Fatalf("an invalid filter changed the list:\n%s", scr)
	}

	s.keys("C-u")
	s.keys("-l", "primary_domain eq 'IT'")
	s.keys("Enter")
	scr = s.waitFor("the filtered list", func(scr string) bool {
		// Moveworks gives no total: the rows show the filter took effect.
		return footerTotal(scr) != "" && !otherDomains.MatchString(scr) && strings.Contains(scr, " IT · ") &&
			!strings.Contains(scr, "Refreshing") && !strings.Contains(scr, "invalid filter")
	})
	if !strings.Contains(scr, "filter primary_domain eq 'IT'") {
		t.Fatalf("the applied filter is not shown:\n%s", scr)
	}
	s.waitFor("the list focused again", contains("f filter"))
	s.keys("q")
	if code := s.waitExit(); code != 0 {
		t.Fatalf("confab demo exited with status %d", code)
	}
}
