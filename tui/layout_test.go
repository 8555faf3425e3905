package tui

import "testing"

func TestLayout(t *testing.T) {
	tests := []struct {
		w, h, helpRows int
		want           Layout
	}{
		{80, 24, 1, Layout{Tabs: Rect{0, 0, 80, 1}, Body: Rect{0, 1, 80, 21}, ListW: 80, Status: Rect{0, 22, 80, 1}, Help: Rect{0, 23, 80, 1}}},
		{80, 24, 6, Layout{Tabs: Rect{0, 0, 80, 1}, Body: Rect{0, 1, 80, 16}, ListW: 80, Status: Rect{0, 17, 80, 1}, Help: Rect{0, 18, 80, 6}}},
		{119, 40, 1, Layout{Tabs: Rect{0, 0, 119, 1}, Body: Rect{0, 1, 119, 37}, ListW: 119, Status: Rect{0, 38, 119, 1}, Help: Rect{0, 39, 119, 1}}},
		{120, 40, 1, Layout{Tabs: Rect{0, 0, 120, 1}, Body: Rect{0, 1, 120, 37}, ListW: 54, Status: Rect{0, 38, 120, 1}, Help: Rect{0, 39, 120, 1}}},
		{200, 60, 1, Layout{Tabs: Rect{0, 0, 200, 1}, Body: Rect{0, 1, 200, 57}, ListW: 90, Status: Rect{0, 58, 200, 1}, Help: Rect{0, 59, 200, 1}}},
		{250, 70, 6, Layout{Tabs: Rect{0, 0, 250, 1}, Body: Rect{0, 1, 250, 62}, ListW: 100, Status: Rect{0, 63, 250, 1}, Help: Rect{0, 64, 250, 6}}},
		{10, 4, 6, Layout{Tabs: Rect{0, 0, 10, 1}, Body: Rect{0, 1, 10, 1}, ListW: 10, Status: Rect{0, 2, 10, 1}, Help: Rect{0, 3, 10, 1}}},
		{0, 0, 1, Layout{}},
	}
	for _, tt := range tests {
		got := layout(tt.w, tt.h, layoutState{helpRows: tt.helpRows})
		if got != tt.want {
			t.Errorf("layout(%d, %d, help %d) =\n %+v, want\n %+v", tt.w, tt.h, tt.helpRows, got, tt.want)
		}
		if sum := got.Tabs.H + got.Body.H + got.Status.H + got.Help.H; sum != tt.h {
			t.Errorf("layout(%d, %d): rows add up to %d", tt.w, tt.h, sum)
		}
		if got.Wide() != (tt.w >= wideMin) {
			t.Errorf("layout(%d, %d): wide %v", tt.w, tt.h, got.Wide())
		}
	}
}

func TestTooSmallLayout(t *testing.T) {
	tests := []struct {
		w, h int
		want bool
	}{
		{60, 15, false}, {59, 15, true}, {60, 14, true}, {0, 0, true}, {250, 70, false}, {200, 10, true},
	}
	for _, tt := range tests {
		if got := tooSmall(tt.w, tt.h); got != tt.want {
			t.Errorf("tooSmall(%d, %d) = %v, want %v", tt.w, tt.h, got, tt.want)
		}
	}
}
