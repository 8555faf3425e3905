//go:build !race

package quickfilter

// raceOn: the race detector is on (see race_on_test.go).
const raceOn = false
