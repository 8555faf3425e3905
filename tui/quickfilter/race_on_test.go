//go:build race

package quickfilter

// raceOn: the race detector is on (CI's second pass). The differential tests then run a tenth
// of their random cases: the whole set runs in the pass without it, and under the detector
// they cost 20–40x (minutes) while adding no goroutine the other cases do not have.
const raceOn = true
