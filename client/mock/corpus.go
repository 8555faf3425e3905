// Package mock holds confab's mock vendor servers: faithful, in-process imitations of the
// Moveworks Data API (and, later, Talkdesk and OpenDialog) serving a deterministic synthetic
// corpus generated from a seed. They back `confab demo`, `confab mock`, tests and benchmarks.
//
// corpus.go holds what every vendor mock shares: the seeded random source, the time rhythm of
// the traffic (weekdays, office hours, quiet days), id and user-id generators, the help-desk
// vocabulary, and a small JSON writer that emits objects with alphabetical keys.
// moveworks.go is the Moveworks handler; server.go starts the vendors on loopback.
package mock

import (
	"math/rand/v2"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// Options configure the mock vendors. The zero value is usable.
type Options struct {
	// Seed selects the corpus: the same Seed and the same End give a byte-identical corpus.
	Seed int64
	// Now is the mock's clock, the one place its sense of the calendar comes from: End
	// defaults to it and the OAuth mocks expire tokens by it. nil means time.Now. Tests and
	// `confab demo --now` pass a fixed or shifted clock, so nothing depends on the day it runs.
	// (A Retry-After given as an HTTP date is still written against the wall clock, because
	// the client reads it against its own.)
	Now func() time.Time
	// End is the instant the corpus ends at; zero means Now(), truncated to the hour (UTC).
	End time.Time
	// Days is the span of the corpus before End; default 28.
	Days int
	// PageSize is the Moveworks server page size; default 500 (APIS.md §1.4, inferred).
	PageSize int
	// ErrorShape is the Moveworks error body: "flat" (default, {"code","message"}) or
	// "wrapped" ({"error":{"code","message"}}), see APIS.md §1.8.
	ErrorShape string
	// Faults are injected into every vendor Start runs (not into a handler made with
	// NewMoveworks; wrap that with Faults.Wrap).
	Faults Faults
	// Hostile adds the hostile records (hostile.go): escape sequences, control characters,
	// 200 KB messages, bidi overrides, missing fields, nulls, orphan and cyclic parents,
	// duplicate ids. Vendor generators call HostileStrings and friends when it is set.
	Hostile bool
}

func (o Options) withDefaults() Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.End.IsZero() {
		o.End = o.Now().UTC().Truncate(time.Hour)
	}
	o.End = o.End.UTC()
	if o.Days <= 0 {
		o.Days = 28
	}
	if o.PageSize <= 0 {
		o.PageSize = 500
	}
	if o.ErrorShape == "" {
		o.ErrorShape = "flat"
	}
	return o
}

// corpusOnce is a vendor's corpus, generated once: at once by the New… constructors and
// Start; under StartLazy by the first request that needs it, or by Servers.Generate.
// Generating it is deterministic (the seed alone decides every byte), so when it happens
// never changes what is served.
type corpusOnce[T any] struct {
	once sync.Once
	gen  func() *T
	c    *T
	done atomic.Bool // c is set
	// one, when set, is held while generating: the corpora sharing it are generated one at
	// a time (StartLazy's vendors), so that each gets a core to itself.
	one *sync.Mutex
}

// get returns the corpus, generating it first if nobody has; a caller arriving while it is
// being generated waits for it.
func (o *corpusOnce[T]) get() *T {
	o.once.Do(func() {
		if o.one != nil {
			o.one.Lock()
			defer o.one.Unlock()
		}
		o.c = o.gen()
		o.gen = nil
		o.done.Store(true)
	})
	return o.c
}

// generate generates the corpus if nobody has (Servers.Generate).
func (o *corpusOnce[T]) generate() { o.get() }

// ready reports whether the corpus has been generated.
func (o *corpusOnce[T]) ready() bool { return o.done.Load() }

// corpusGen is a vendor's corpusOnce, whatever its type.
type corpusGen interface {
	generate()
	ready() bool
	generateOneAtATime(one *sync.Mutex)
}

// generateOneAtATime makes the corpus wait for one before it is generated (see one).
func (o *corpusOnce[T]) generateOneAtATime(one *sync.Mutex) { o.one = one }

// newRand returns the seeded PCG generator of one corpus stream. Each vendor uses its own
// stream so adding a vendor never changes another vendor's corpus.
func newRand(seed int64, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), stream^0x9e3779b97f4a7c15))
}

// pick returns a uniformly chosen element of xs.
func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// chance reports true with probability p.
func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// weighted picks an index with probability proportional to ws.
func weighted(r *rand.Rand, ws []float64) int {
	total := 0.0
	for _, w := range ws {
		total += w
	}
	x := r.Float64() * total
	for i, w := range ws {
		if x < w {
			return i
		}
		x -= w
	}
	return len(ws) - 1
}

// Weights of the traffic by weekday (Sunday first) and by UTC hour.
var (
	weekdayWeight = [7]float64{0.08, 1.0, 1.05, 1.0, 0.95, 0.75, 0.12}
	hourWeight    = [24]float64{
		0.05, 0.04, 0.04, 0.04, 0.06, 0.12, 0.3, 0.6, 0.9, 1.0, 1.0, 0.95,
		0.8, 0.9, 1.0, 0.95, 0.85, 0.6, 0.35, 0.2, 0.15, 0.1, 0.08, 0.06,
	}
)

// rhythmTimes returns n instants in [end-days, end-margin), sorted, distributed with a
// weekday and office-hour rhythm. Two random days are quiet (an outage, a holiday).
func rhythmTimes(r *rand.Rand, n int, end time.Time, days int, margin time.Duration) []time.Time {
	start := end.Add(-time.Duration(days) * 24 * time.Hour)
	last := end.Add(-margin)
	quiet := map[int]bool{}
	for len(quiet) < min(2, days-1) {
		quiet[1+r.IntN(days-1)] = true
	}
	// One cell per hour; cumulative weights for a binary search.
	cells := int(last.Sub(start) / time.Hour)
	if cells < 1 {
		cells = 1
	}
	cum := make([]float64, cells)
	total := 0.0
	for i := range cells {
		t := start.Add(time.Duration(i) * time.Hour)
		w := weekdayWeight[t.Weekday()] * hourWeight[t.Hour()]
		if quiet[i/24] {
			w *= 0.04
		}
		total += w
		cum[i] = total
	}
	out := make([]time.Time, n)
	for i := range out {
		x := r.Float64() * total
		c := sort.SearchFloat64s(cum, x)
		if c >= cells {
			c = cells - 1
		}
		t := start.Add(time.Duration(c)*time.Hour + time.Duration(r.Int64N(int64(time.Hour))))
		if !t.Before(last) {
			t = last.Add(-time.Duration(1+r.IntN(3600)) * time.Second)
		}
		out[i] = t.Truncate(time.Millisecond)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// idGen makes unique 12-character URL-safe ids (like Moveworks' `0B4ZobXF4Lxx`).
type idGen struct {
	r    *rand.Rand
	seen map[string]struct{}
}

func newIDGen(r *rand.Rand, reserved ...string) *idGen {
	g := &idGen{r: r, seen: make(map[string]struct{}, 40000)}
	for _, s := range reserved {
		g.seen[s] = struct{}{}
	}
	return g
}

func (g *idGen) next() string {
	for {
		var b [12]byte
		x, y := g.r.Uint64(), g.r.Uint64()
		for i := range 10 {
			b[i] = idAlphabet[x&63]
			x >>= 6
		}
		b[10], b[11] = idAlphabet[y&63], idAlphabet[(y>>6)&63]
		s := string(b[:])
		if _, dup := g.seen[s]; !dup {
			g.seen[s] = struct{}{}
			return s
		}
	}
}

// userID returns a 19–20 digit decimal user id above the int64 range, like Moveworks'
// `15392314957513647503` (APIS.md §1.6): clients must keep them as strings.
func userID(r *rand.Rand) string {
	const lo = 9_300_000_000_000_000_000
	return strconv.FormatUint(lo+r.Uint64N(^uint64(0)-lo), 10)
}

// topic is one help-desk subject: what users say about it and how the bot answers.
type topic struct {
	Domain     string   // Moveworks primary_domain: IT, HR, FACILITY…
	Entity     string   // the predicted entity (detail.entity)
	Utterances []string // first messages
	FollowUps  []string // later user messages
	Replies    []string // bot answers
	Buttons    []string // button labels the bot offers
	Forms      []string // form names
	Weight     float64
}

// topics is the shared help-desk vocabulary: IT and HR traffic dominate, plus other domains.
// Text mixes accents, emoji and CJK on purpose.
var topics = []topic{
	{Domain: "IT", Entity: "vpn", Weight: 9,
		Utterances: []string{"vpn keeps disconnecting every 10 minutes", "can't connect to the VPN from home", "GlobalProtect says gateway unreachable", "VPN 接続できません", "vpn is super slow today 🐢"},
		FollowUps:  []string{"still failing after the reboot", "I'm on macOS 15", "yes I tried that already", "it works now, thanks! 🎉"},
		Replies:    []string{"Sorry about that! Let's get your VPN working again.", "Try signing out of GlobalProtect, then reconnect to the *EU-West* gateway.", "I found an article that may help: **Troubleshooting VPN disconnects**.", "I've checked: there is no known VPN outage right now."},
		Buttons:    []string{"Reconnect steps", "Get help", "It worked", "Still broken"}},
	{Domain: "IT", Entity: "password_reset", Weight: 9,
		Utterances: []string{"reset my password", "I forgot my Okta password", "locked out of my account again 😩", "パスワードをリセットしたい", "password expired, how do I change it?"},
		FollowUps:  []string{"I didn't get the email", "the link says expired", "done, thanks"},
		Replies:    []string{"I can help you reset your password.", "I've sent a reset link to your recovery email. It expires in 15 minutes.", "Your account is unlocked. You can sign in again.", "For security, please confirm your identity first."},
		Buttons:    []string{"Reset password", "Unlock account", "Talk to an agent"}},
	{Domain: "IT", Entity: "other_software_operations", Weight: 7,
		Utterances: []string{"need access to Figma", "how do I install Docker Desktop?", "request Adobe Acrobat license", "Jira says I don't have permission", "請幫我開通 Tableau 的權限"},
		FollowUps:  []string{"it's for the Q3 launch project", "my manager is Zoë Müller", "how long does approval take?"},
		Replies:    []string{"I can request that software for you.", "Your request needs manager approval; I've sent it to your manager.", "Here's how to install it from Self Service.", "Access granted ✅ — it may take 10 minutes to sync."},
		Buttons:    []string{"Request access", "Install guide", "Cancel request"},
		Forms:      []string{"Software access request", "License request"}},
	{Domain: "IT", Entity: "hardware", Weight: 6,
		Utterances: []string{"my laptop screen is flickering", "need a new charger", "keyboard spilled coffee ☕ help", "laptop won't turn on", "ノートPCが起動しません"},
		FollowUps:  []string{"it's a MacBook Pro 14\"", "I'm in the Zürich office", "can I pick it up today?"},
		Replies:    []string{"Sorry to hear that. I can open a hardware ticket.", "I've filed ticket INC0043127 for you; the service desk will follow up.", "You can pick up a loaner at the IT bar on floor 3."},
		Buttons:    []string{"File a ticket", "Find IT bar", "Order accessory"},
		Forms:      []string{"Hardware request", "Damage report"}},
	{Domain: "IT", Entity: "wifi", Weight: 4,
		Utterances: []string{"wifi not working in building B", "guest wifi password?", "eduroam keeps asking for my password"},
		FollowUps:  []string{"third floor, near the kitchen", "on my phone too"},
		Replies:    []string{"The guest network is *Acme-Guest*; the password rotates daily and is on the lobby screen.", "I've reported the issue to the network team."},
		Buttons:    []string{"Report outage", "Connect guide"}},
	{Domain: "IT", Entity: "mfa", Weight: 4,
		Utterances: []string{"new phone, need to move my MFA", "Duo push not arriving", "lost my YubiKey 🔑"},
		FollowUps:  []string{"the old phone is wiped", "yes please"},
		Replies:    []string{"I can reset your MFA enrolment after verifying your identity.", "I've sent a one-time bypass code to your manager."},
		Buttons:    []string{"Reset MFA", "Get help"}},
	{Domain: "HR", Entity: "pto", Weight: 7,
		Utterances: []string{"how many PTO days do I have left?", "request vacation next Friday", "what is the holiday calendar for 2026?", "有給休暇の残りは？", "can I carry over unused PTO? 🌴"},
		FollowUps:  []string{"for the whole week of the 14th", "what about sick days?", "great, submit it"},
		Replies:    []string{"You have 12.5 days of PTO available.", "I've submitted your time-off request to Workday for approval.", "Unused PTO carries over up to 5 days."},
		Buttons:    []string{"Request time off", "View balance", "Holiday calendar"},
		Forms:      []string{"Time off request"}},
	{Domain: "HR", Entity: "benefits", Weight: 5,
		Utterances: []string{"when is open enrollment?", "does our dental plan cover braces?", "how do I add my spouse to my insurance", "parental leave policy?"},
		FollowUps:  []string{"we got married last month 💍", "is there a waiting period?"},
		Replies:    []string{"Open enrollment runs from November 1 to November 15.", "Here is the benefits guide for your region.", "Qualifying life events let you change benefits within 30 days."},
		Buttons:    []string{"Benefits guide", "Contact HR"}},
	{Domain: "HR", Entity: "onboarding", Weight: 3,
		Utterances: []string{"I'm new, where do I start?", "my new hire can't log in", "onboarding checklist for contractors"},
		FollowUps:  []string{"starts on Monday", "she's in the São Paulo office"},
		Replies:    []string{"Welcome aboard! 👋 Here's your first-week checklist.", "I've asked IT to provision the account before the start date."},
		Buttons:    []string{"Checklist", "Meet your buddy"}},
	{Domain: "PAYROLL", Entity: "payslip", Weight: 3,
		Utterances: []string{"where is my payslip?", "my paycheck is wrong", "update my bank details", "给我看一下工资单"},
		FollowUps:  []string{"the overtime is missing", "for October"},
		Replies:    []string{"Your payslips are in Workday under Pay → Payslips.", "I've opened a case with Payroll; they reply within 2 business days."},
		Buttons:    []string{"Open Workday", "Contact payroll"},
		Forms:      []string{"Payroll inquiry"}},
	{Domain: "TRAVEL_AND_EXPENSE", Entity: "expense_report", Weight: 3,
		Utterances: []string{"how do I file an expense report?", "per diem for Tokyo 東京?", "my Concur report was rejected"},
		FollowUps:  []string{"the hotel was €240 a night", "the receipt is attached"},
		Replies:    []string{"Expense reports are filed in Concur within 30 days of travel.", "The per-diem rate for Tokyo is ¥18,000."},
		Buttons:    []string{"Open Concur", "Travel policy"}},
	{Domain: "FACILITY", Entity: "badge", Weight: 2,
		Utterances: []string{"my badge stopped working", "book a desk for tomorrow", "the AC on floor 4 is broken 🥵"},
		FollowUps:  []string{"Building C, north entrance", "any desk near a window"},
		Replies:    []string{"I've submitted a facilities request.", "Desk 4.117 is booked for you tomorrow."},
		Buttons:    []string{"Book a desk", "Report an issue"},
		Forms:      []string{"Facilities request"}},
	{Domain: "LEGAL", Entity: "nda", Weight: 1,
		Utterances: []string{"need an NDA for a vendor", "who approves contracts over $50k?"},
		FollowUps:  []string{"mutual NDA please"},
		Replies:    []string{"Here is the NDA template; Legal reviews changes within 3 days."},
		Buttons:    []string{"NDA template", "Contact Legal"},
		Forms:      []string{"Contract review request"}},
	{Domain: "FINANCE", Entity: "invoice", Weight: 1,
		Utterances: []string{"vendor says invoice unpaid", "what's the PO process?"},
		FollowUps:  []string{"invoice number 2026-0042"},
		Replies:    []string{"Accounts payable runs payments every Tuesday and Thursday."},
		Buttons:    []string{"Check invoice status"}},
	{Domain: "OTHER", Entity: "greeting", Weight: 3,
		Utterances: []string{"hi", "hello 👋", "thanks!", "what can you do?", "こんにちは", "good morning ☀️"},
		FollowUps:  []string{"cool", "never mind"},
		Replies:    []string{"Hi! I'm your AI assistant. I can help with IT, HR, facilities and more.", "You're welcome! 😊", "Try asking me things like \"reset my password\" or \"how much PTO do I have\"."},
		Buttons:    []string{"What can you do?", "Get help"}},
}

// Extra bot messages sprinkled after an answer.
var (
	helpfulPrompts = []string{"Was this helpful?", "Did that resolve your issue?", "Is there anything else I can help with?"}
	helpfulButtons = []string{"Helpful", "Not helpful", "Yes", "No"}
	articleTitles  = []string{"How to connect to the VPN", "Resetting your password", "PTO policy 2026", "Requesting software", "Expense policy", "Working from abroad 🌍", "新入社員ガイド"}
	ticketPrefixes = []string{"RITM", "INC", "REQ"}
	fileTypes      = []string{"pdf", "png", "jpg", "docx", "xlsx", "txt", "heic"}
	platforms      = []string{"slack", "msteams", "web"}
)

// topicWeights caches the topic weights for weighted().
var topicWeights = func() []float64 {
	ws := make([]float64, len(topics))
	for i, t := range topics {
		ws[i] = t.Weight
	}
	return ws
}()

// stamp formats t as Moveworks does: UTC, milliseconds, Z (`2025-08-01T16:45:27.511Z`).
func stamp(t time.Time) string {
	t = t.UTC()
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	ms := t.Nanosecond() / int(time.Millisecond)
	if y < 0 || y > 9999 {
		return t.Format("2006-01-02T15:04:05.000Z")
	}
	b := [24]byte{'0', '0', '0', '0', '-', '0', '0', '-', '0', '0', 'T', '0', '0', ':', '0', '0', ':', '0', '0', '.', '0', '0', '0', 'Z'}
	put := func(at, width, v int) {
		for i := at + width - 1; i >= at; i-- {
			b[i] = byte('0' + v%10)
			v /= 10
		}
	}
	put(0, 4, y)
	put(5, 2, int(mo))
	put(8, 2, d)
	put(11, 2, h)
	put(14, 2, mi)
	put(17, 2, s)
	put(20, 3, ms)
	return string(b[:])
}

// field is one key of a JSON object; obj keeps its fields sorted by key. A value is nil,
// string, int, []string or obj.
type field struct {
	K string
	V any
}

type obj []field

// get returns the value of key k.
func (o obj) get(k string) (any, bool) {
	for _, f := range o {
		if f.K == k {
			return f.V, true
		}
	}
	return nil, false
}

// appendJSON appends v as JSON.
func appendJSON(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case string:
		return appendString(b, x)
	case int:
		return strconv.AppendInt(b, int64(x), 10)
	case bool:
		return strconv.AppendBool(b, x)
	case []string:
		b = append(b, '[')
		for i, s := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, s)
		}
		return append(b, ']')
	case obj:
		return appendObj(b, x, nil)
	}
	panic("mock: unsupported JSON value")
}

// appendObj appends o as a JSON object; when keep is not nil only its keys are written.
func appendObj(b []byte, o obj, keep map[string]bool) []byte {
	b = append(b, '{')
	n := 0
	for _, f := range o {
		if keep != nil && !keep[f.K] {
			continue
		}
		if n > 0 {
			b = append(b, ',')
		}
		n++
		b = appendString(b, f.K)
		b = append(b, ':')
		b = appendJSON(b, f.V)
	}
	return append(b, '}')
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string, escaping as encoding/json does except for HTML
// characters (the vendor samples do not escape them).
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
