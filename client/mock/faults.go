package mock

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// FaultSpecHelp documents the syntax ParseFaults reads, for command help and the README.
const FaultSpecHelp = `comma-separated key=value pairs; P is a probability in [0,1] per GET request,
D a Go duration (200ms, 1s) or a range D1-D2 drawn uniformly:
  latency=D           delay every response (latency=50ms-300ms)
  429=P               answer 429 Too Many Requests with Retry-After
  retry-after=D       the Retry-After of those 429s, sent in whole seconds (default 1s; 0-1s)
  retry-after-format=seconds|date|none   send Retry-After as seconds (default) or an HTTP
                      date, or send none (the vendors document no Retry-After; also
                      written retry-after=none)
  5xx=P               answer 500, 502 (an HTML gateway page) or 503, evenly
  malformed=P         a complete 200 whose JSON is cut in half
  truncate=P          a 200 whose connection drops half-way through the body
  drip=P              a 200 sent in 32 slow pieces
  drip-delay=D        the pause between dripped pieces (default 50ms)
  foreign-next=URL    rewrite the vendor's own (loopback) links to this origin, e.g. paging
                      links to http://127.0.0.1:9
  foreign-rate=P      how often foreign-next applies (default 1: every response)
  seed=N              vary the fault sequence without changing the corpus
Faults are deterministic: the same seed and the same request sequence give the same faults.
Token requests (POST) are never faulted. Example:
  latency=20ms-200ms,429=0.05,retry-after=0-1s,5xx=0.05,malformed=0.03,truncate=0.03,drip=0.02`

// Faults inject failures into a mock vendor's GET responses (token requests, which are
// POSTs, are never faulted). Probabilities are in [0, 1]; the zero value injects nothing.
//
// Each GET request draws its faults from a generator seeded by the wrap seed, Seed and the
// request's sequence number, so the n-th request of a run always gets the same faults, whatever
// faults earlier requests got.
type Faults struct {
	// Latency is added before every response; with LatencyMax > Latency the delay is drawn
	// uniformly from [Latency, LatencyMax].
	Latency, LatencyMax time.Duration
	// RateLimit is the probability of a 429 with a Retry-After header.
	RateLimit float64
	// RetryAfter is the Retry-After of an injected 429 (default 1 s); with RetryAfterMax >
	// RetryAfter it is drawn from [RetryAfter, RetryAfterMax]. The header holds whole seconds
	// (rounded), or an HTTP date that far ahead when RetryAfterDate is set.
	RetryAfter, RetryAfterMax time.Duration
	RetryAfterDate            bool
	// RetryAfterNone sends injected 429s without a Retry-After header, as a vendor that
	// documents none may: the client must pick its own backoff.
	RetryAfterNone bool
	// ServerError is the probability of a 500, 502 or 503 (chosen evenly); the 502 is an HTML
	// page, as a gateway in front of the vendor sends.
	ServerError float64
	// Malformed is the probability of a complete 200 response whose JSON is cut in half.
	Malformed float64
	// Truncate is the probability of a body cut off mid-way (the connection drops).
	Truncate float64
	// Drip is the probability of a 200 whose body is sent in 32 pieces, DripDelay apart
	// (default 50 ms).
	Drip      float64
	DripDelay time.Duration
	// ForeignNext, when set (an origin such as http://127.0.0.1:9), replaces the vendor's own
	// loopback origins in response bodies, so paging links point at another host. ForeignRate
	// is the probability it applies to a response; 0 means every response.
	ForeignNext string
	ForeignRate float64
	// Seed varies the fault sequence without changing the corpus; it is mixed into the seed
	// Wrap is given.
	Seed int64
}

// IsZero reports whether f injects nothing.
func (f Faults) IsZero() bool { return f == Faults{} }

// ParseFaults reads a fault spec (see FaultSpecHelp), e.g.
// "latency=50ms-300ms,429=0.1,retry-after=0-1s,5xx=0.05,malformed=0.02,truncate=0.02,drip=0.01,foreign-next=http://127.0.0.1:9".
// An empty spec injects nothing. Errors name the offending key and value.
func ParseFaults(spec string) (Faults, error) {
	var f Faults
	for part := range strings.SplitSeq(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return Faults{}, fmt.Errorf("fault %q: want key=value", part)
		}
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		prob := func(dst *float64) error {
			p, err := strconv.ParseFloat(v, 64)
			if err != nil || !(p >= 0 && p <= 1) {
				return fmt.Errorf("fault %s: %q is not a probability between 0 and 1", k, v)
			}
			*dst = p
			return nil
		}
		dur := func(dst *time.Duration) error {
			d, err := parseFaultDuration(v)
			if err != nil {
				return fmt.Errorf("fault %s: %q is not a duration like 200ms", k, v)
			}
			*dst = d
			return nil
		}
		durRange := func(lo, hi *time.Duration) error {
			a, b, isRange := cutRange(v)
			if !isRange {
				return dur(lo)
			}
			da, err1 := parseFaultDuration(a)
			db, err2 := parseFaultDuration(b)
			if err1 != nil || err2 != nil || db < da {
				return fmt.Errorf("fault %s: %q is not a duration or a range like 50ms-300ms", k, v)
			}
			*lo, *hi = da, db
			return nil
		}
		var err error
		switch k {
		case "latency":
			err = durRange(&f.Latency, &f.LatencyMax)
		case "retry-after":
			if strings.EqualFold(v, "none") {
				f.RetryAfterNone = true
				break
			}
			err = durRange(&f.RetryAfter, &f.RetryAfterMax)
		case "retry-after-format":
			switch strings.ToLower(v) {
			case "seconds":
				f.RetryAfterDate, f.RetryAfterNone = false, false
			case "date":
				f.RetryAfterDate, f.RetryAfterNone = true, false
			case "none":
				f.RetryAfterDate, f.RetryAfterNone = false, true
			default:
				err = fmt.Errorf("fault retry-after-format: %q is not seconds, date or none", v)
			}
		case "429", "rate-limit":
			err = prob(&f.RateLimit)
		case "5xx", "server-error":
			err = prob(&f.ServerError)
		case "malformed":
			err = prob(&f.Malformed)
		case "truncate":
			err = prob(&f.Truncate)
		case "drip":
			err = prob(&f.Drip)
		case "drip-delay":
			err = dur(&f.DripDelay)
		case "foreign-next":
			u, perr := url.Parse(v)
			if perr != nil || !u.IsAbs() || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
				err = fmt.Errorf("fault foreign-next: %q is not an origin like http://127.0.0.1:9", v)
			}
			f.ForeignNext = strings.TrimRight(v, "/")
		case "foreign-rate":
			err = prob(&f.ForeignRate)
		case "seed":
			n, perr := strconv.ParseInt(v, 10, 64)
			if perr != nil {
				err = fmt.Errorf("fault seed: %q is not an integer", v)
			}
			f.Seed = n
		default:
			err = fmt.Errorf("unknown fault %q (latency, 429, retry-after, retry-after-format, 5xx, malformed, truncate, drip, drip-delay, foreign-next, foreign-rate, seed)", k)
		}
		if err != nil {
			return Faults{}, err
		}
	}
	if f.ForeignRate > 0 && f.ForeignNext == "" {
		return Faults{}, fmt.Errorf("fault foreign-rate needs foreign-next=URL")
	}
	return f, nil
}

// cutRange splits "a-b" at the dash between two durations (durations are never negative,
// so a leading dash is not a separator).
func cutRange(v string) (a, b string, ok bool) {
	i := strings.Index(v[min(1, len(v)):], "-")
	if i < 0 {
		return v, "", false
	}
	i++
	return strings.TrimSpace(v[:i]), strings.TrimSpace(v[i+1:]), true
}

func parseFaultDuration(v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, err
	}
	if d < 0 {
		return 0, fmt.Errorf("negative duration %s", v)
	}
	return d, nil
}

// Fault is what the injector does to one request; see Faults.Plan.
type Fault struct {
	Latency    time.Duration // delay before the response
	Status     int           // 429, 500, 502 or 503; 0 to pass the request to the vendor
	RetryAfter time.Duration // for a 429
	Malformed  bool          // cut the JSON in half (a complete response)
	Truncate   bool          // drop the connection half-way through the body
	Drip       bool          // send the body slowly
	Foreign    bool          // rewrite the vendor's own origins to ForeignNext
}

// String is a compact description of fl, e.g. "429 retry-after=1s" or "ok", for logs and tests.
func (fl Fault) String() string {
	var parts []string
	if fl.Status != 0 {
		parts = append(parts, strconv.Itoa(fl.Status))
		if fl.Status == http.StatusTooManyRequests {
			parts = append(parts, "retry-after="+fl.RetryAfter.String())
		}
	}
	for _, x := range []struct {
		on   bool
		name string
	}{{fl.Malformed, "malformed"}, {fl.Truncate, "truncate"}, {fl.Drip, "drip"}, {fl.Foreign, "foreign"}} {
		if x.on {
			parts = append(parts, x.name)
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "ok")
	}
	if fl.Latency > 0 {
		parts = append(parts, "+"+fl.Latency.String())
	}
	return strings.Join(parts, " ")
}

// Plan returns the faults of the n-th GET request (0-based) of a handler wrapped with seed. It
// depends only on f, seed and n: every request draws the same number of random values.
func (f Faults) Plan(seed int64, n uint64) Fault {
	r := rand.New(rand.NewPCG(uint64(seed)^uint64(f.Seed)*0x9e3779b97f4a7c15, n^0xfa0175))
	var u [9]float64
	for i := range u {
		u[i] = r.Float64()
	}
	between := func(x float64, lo, hi time.Duration) time.Duration {
		if hi <= lo {
			return lo
		}
		return lo + time.Duration(x*float64(hi-lo+1))
	}
	fl := Fault{Latency: between(u[0], f.Latency, f.LatencyMax)}
	switch {
	case u[1] < f.RateLimit:
		fl.Status = http.StatusTooManyRequests
		lo := f.RetryAfter
		if lo == 0 && f.RetryAfterMax == 0 {
			lo = time.Second
		}
		fl.RetryAfter = between(u[2], lo, f.RetryAfterMax).Round(time.Second)
	case u[3] < f.ServerError:
		fl.Status = []int{500, 502, 503}[min(int(u[4]*3), 2)]
	default:
		fl.Truncate = u[5] < f.Truncate
		fl.Malformed = !fl.Truncate && u[6] < f.Malformed
		fl.Drip = u[7] < f.Drip
	}
	fl.Foreign = f.ForeignNext != "" && (f.ForeignRate == 0 || u[8] < f.ForeignRate)
	return fl
}

// Wrap returns h with the faults injected; the random choices follow seed (mixed with
// f.Seed) and the order of the requests.
func (f Faults) Wrap(h http.Handler, seed int64) http.Handler {
	if f.IsZero() {
		return h
	}
	return &faultInjector{f: f, h: h, seed: seed}
}

type faultInjector struct {
	f    Faults
	h    http.Handler
	seed int64
	n    atomic.Uint64 // GET requests seen
}

// loopbackOrigin matches a mock vendor's own origins in a body: http(s) URLs on 127.0.0.1,
// localhost or [::1] with a port.
var loopbackOrigin = regexp.MustCompile(`https?://(?:127\.0\.0\.1|localhost|\[::1\]):[0-9]+`)

func (fi *faultInjector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		fi.h.ServeHTTP(w, r)
		return
	}
	fl := fi.f.Plan(fi.seed, fi.n.Add(1)-1)
	if fl.Latency > 0 && !sleepCtx(r, fl.Latency) {
		return
	}
	switch fl.Status {
	case 0:
	case http.StatusTooManyRequests:
		secs := int(fl.RetryAfter / time.Second)
		switch {
		case fi.f.RetryAfterNone:
		case fi.f.RetryAfterDate:
			w.Header().Set("Retry-After", time.Now().Add(fl.RetryAfter).UTC().Format(http.TimeFormat))
		default:
			w.Header().Set("Retry-After", strconv.Itoa(secs))
		}
		writeJSON(w, http.StatusTooManyRequests, fi.body(fl.Status, `{"code":"RESOURCE_EXHAUSTED","message":"rate limit exceeded (injected fault)"}`))
		return
	case http.StatusBadGateway:
		body := []byte("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write(body)
		return
	case http.StatusInternalServerError:
		writeJSON(w, fl.Status, fi.body(fl.Status, `{"code":"INTERNAL","message":"internal error (injected fault)"}`))
		return
	default:
		writeJSON(w, fl.Status, fi.body(fl.Status, `{"code":"UNAVAILABLE","message":"the service is unavailable (injected fault)"}`))
		return
	}
	if !fl.Malformed && !fl.Truncate && !fl.Drip && !fl.Foreign {
		fi.h.ServeHTTP(w, r)
		return
	}
	rec := httptest.NewRecorder()
	fi.h.ServeHTTP(rec, r)
	body := rec.Body.Bytes()
	if fl.Foreign {
		body = loopbackOrigin.ReplaceAll(body, []byte(fi.f.ForeignNext))
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	ok := rec.Code == http.StatusOK && len(body) > 1
	switch {
	case ok && fl.Malformed:
		body = body[:len(body)/2]
	case ok && fl.Truncate:
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body[:len(body)/2])
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		panic(http.ErrAbortHandler) // drop the connection mid-body
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(rec.Code)
	if !(ok && fl.Drip) {
		_, _ = w.Write(body)
		return
	}
	delay := fi.f.DripDelay
	if delay <= 0 {
		delay = 50 * time.Millisecond
	}
	const pieces = 32
	step := (len(body) + pieces - 1) / pieces
	flusher, _ := w.(http.Flusher)
	for i := 0; i < len(body); i += step {
		if i > 0 && !sleepCtx(r, delay) {
			return
		}
		if _, err := w.Write(body[i:min(i+step, len(body))]); err != nil {
			return
		}
		if flusher != nil {
			flusher.Flush()
		}
	}
}

// faultBodies is a vendor mock whose injected 429, 500 and 503 answers carry the vendor's
// own error body; the default bodies are Moveworks-shaped.
type faultBodies interface {
	faultBody(status int) []byte
}

// body is the body of an injected error status: the vendor's own (faultBodies), else def.
func (fi *faultInjector) body(status int, def string) []byte {
	if v, ok := fi.h.(faultBodies); ok {
		return v.faultBody(status)
	}
	return []byte(def)
}

// sleepCtx waits d unless the request is cancelled first; it reports whether it waited.
func sleepCtx(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-r.Context().Done():
		return false
	case <-t.C:
		return true
	}
}

// String renders f as a spec ParseFaults reads back ("" for no faults).
func (f Faults) String() string {
	var parts []string
	p := func(k string, v float64) {
		if v > 0 {
			parts = append(parts, k+"="+strconv.FormatFloat(v, 'g', -1, 64))
		}
	}
	d := func(k string, lo, hi time.Duration) {
		switch {
		case hi > lo:
			parts = append(parts, k+"="+lo.String()+"-"+hi.String())
		case lo > 0:
			parts = append(parts, k+"="+lo.String())
		}
	}
	d("latency", f.Latency, f.LatencyMax)
	p("429", f.RateLimit)
	d("retry-after", f.RetryAfter, f.RetryAfterMax)
	switch {
	case f.RetryAfterNone:
		parts = append(parts, "retry-after-format=none")
	case f.RetryAfterDate:
		parts = append(parts, "retry-after-format=date")
	}
	p("5xx", f.ServerError)
	p("malformed", f.Malformed)
	p("truncate", f.Truncate)
	p("drip", f.Drip)
	d("drip-delay", f.DripDelay, 0)
	if f.ForeignNext != "" {
		parts = append(parts, "foreign-next="+f.ForeignNext)
	}
	p("foreign-rate", f.ForeignRate)
	if f.Seed != 0 {
		parts = append(parts, "seed="+strconv.FormatInt(f.Seed, 10))
	}
	return strings.Join(parts, ",")
}
