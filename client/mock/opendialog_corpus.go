package mock

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"
)

// The OpenDialog corpus is web-chat traffic: users with browser data, each with several
// sessions a day, each session a run of user messages with gaps of at most odMaxGap;
// a user's sessions are at least odMinSeparation apart, so a client with the default
// 30-minute session timeout recovers them exactly. A few sessions a day cross midnight UTC.
const (
	odMaxGap        = 12 * time.Minute
	odMinSeparation = 45 * time.Minute
)

type odMessage struct {
	at   time.Time
	typ  string
	text string
	data any // nil or obj
	// null sends "text": null (and nullType "type": null), as the hostile corpus does.
	null, nullType bool
}

type odUser struct {
	id       string
	attrs    map[string]string // the filterable attributes (matched, never sent)
	data     obj               // chatbot_user_data: id, name, email
	sessions [][]*odMessage
}

// matches reports whether u matches every filter (LIKE, case-insensitive, partial).
func (u *odUser) matches(filters map[string]string) bool {
	for k, v := range filters {
		if !Like(u.attrs[k], v) {
			return false
		}
	}
	return true
}

type odCorpus struct {
	users []*odUser
}

var (
	odScenarios = []string{"customer-support", "order-tracking", "onboarding", "billing-faq", "it-helpdesk", "hr-assistant", "returns"}
	odCountries = []string{"United Kingdom", "United States", "Germany", "France", "Japan", "Brazil", "India", "Spain", "Netherlands", "Australia", "Canada", "Russia"}
	odLanguages = map[string][]string{
		"United Kingdom": {"en-GB"}, "United States": {"en-US", "es-US"}, "Germany": {"de-DE"}, "France": {"fr-FR"},
		"Japan": {"ja-JP"}, "Brazil": {"pt-BR"}, "India": {"en-IN", "hi-IN"}, "Spain": {"es-ES"}, "Netherlands": {"nl-NL"},
		"Australia": {"en-AU"}, "Canada": {"en-CA", "fr-CA"}, "Russia": {"ru-RU"},
	}
	odTimezones = map[string]string{
		"United Kingdom": "Europe/London", "United States": "America/New_York", "Germany": "Europe/Berlin", "France": "Europe/Paris",
		"Japan": "Asia/Tokyo", "Brazil": "America/Sao_Paulo", "India": "Asia/Kolkata", "Spain": "Europe/Madrid",
		"Netherlands": "Europe/Amsterdam", "Australia": "Australia/Sydney", "Canada": "America/Toronto", "Russia": "Europe/Moscow",
	}
	odBrowsers  = []string{"Chrome 130.0", "Firefox 132.0", "Safari 18.1", "Edge 130.0", "Samsung Internet 26.0", "Opera 114.0"}
	odOSes      = []string{"Windows 11", "Windows 10", "macOS 15.1", "iOS 18.1", "Android 15", "Linux"}
	odFirst     = []string{"Amelia", "Noah", "Zoë", "Mateo", "Yuki", "Priya", "Lars", "Chloé", "Ahmed", "Sofia", "Jonas", "Ana", "Wei", "Olga"}
	odLast      = []string{"Smith", "Müller", "García", "Tanaka", "Patel", "Dubois", "Silva", "Jansen", "Nowak", "Kim", "O'Brien", "Ivanova"}
	odURLs      = []string{"https://example.com/help/returns", "https://example.com/orders", "https://example.com/pricing", "https://example.com/kb/vpn"}
	odLongTexts = []string{"I ordered two items last week and only one arrived.\nThe tracking page says delivered but nothing is here.", "Here are the details:\n- order 10442\n- paid by card\n- shipped to Zürich"}
)

// genOpenDialog generates the corpus: users, then session start times with the weekly and
// office-hour rhythm, assigned to users, then the messages of each session.
func genOpenDialog(opts Options) *odCorpus {
	r := newRand(opts.Seed, 3)
	end := opts.End
	nUsers := 60 + 4*opts.Days
	c := &odCorpus{}
	seen := map[string]bool{}
	for i := range nUsers {
		u := &odUser{attrs: map[string]string{}}
		for {
			switch {
			case i%9 == 4:
				u.id = fmt.Sprintf("%s.%s%d@example.com", strings.ToLower(asciiName(pick(r, odFirst))), strings.ToLower(asciiName(pick(r, odLast))), r.IntN(100))
			case i%5 == 0:
				u.id = fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", r.Uint32(), r.Uint32()&0xffff, r.Uint32()&0xfff, 0x8000|r.Uint32()&0x3fff, r.Uint64()&0xffffffffffff)
			default:
				u.id = fmt.Sprintf("wc_%010x", r.Uint64()&0xffffffffff)
			}
			if !seen[u.id] {
				seen[u.id] = true
				break
			}
		}
		country := pick(r, odCountries)
		first, last := pick(r, odFirst), pick(r, odLast)
		email := ""
		if strings.Contains(u.id, "@") {
			email = u.id
		} else if chance(r, 0.55) {
			email = fmt.Sprintf("%s.%s@%s", strings.ToLower(asciiName(first)), strings.ToLower(asciiName(last)), pick(r, []string{"example.com", "example.org", "mail.example.net"}))
		}
		os := pick(r, odOSes)
		platform := "desktop"
		if strings.HasPrefix(os, "iOS") || strings.HasPrefix(os, "Android") {
			platform = pick(r, []string{"mobile", "mobile", "tablet"})
		}
		browser := pick(r, odBrowsers)
		if strings.HasPrefix(os, "iOS") {
			browser = "Safari 18.1"
		}
		u.attrs = map[string]string{
			"ip_address":        fmt.Sprintf("%s.%d", pick(r, []string{"203.0.113", "198.51.100", "192.0.2"}), 1+r.IntN(254)),
			"country":           country,
			"browser_language":  pick(r, odLanguages[country]),
			"os":                os,
			"browser":           browser,
			"timezone":          odTimezones[country],
			"email":             email,
			"platform":          platform,
			"selected_scenario": pick(r, odScenarios),
		}
		// chatbot_user_data is what the vendor documents (APIS.md §3.4): id, name and email.
		// The browser data above is only what the endpoint's filters match on. (One draw
		// stands for the external_id the mock no longer sends, so the corpus stays the same.)
		_ = r.IntN(1_000_000)
		d := obj{
			{"email", nilIfEmpty(email)},
			{"id", u.id},
			{"name", first + " " + last},
		}
		u.data = d
		c.users = append(c.users, u)
	}
	// Session starts: about two a user a day, with the traffic rhythm, plus a few a day that
	// start just before midnight UTC and run past it.
	starts := rhythmTimes(r, nUsers*opts.Days*2, end, opts.Days, 2*time.Hour)
	type plan struct {
		at       time.Time
		midnight bool
	}
	perUser := make([][]plan, nUsers)
	for _, t := range starts {
		i := r.IntN(nUsers)
		perUser[i] = append(perUser[i], plan{at: t.Truncate(time.Second).Add(time.Duration(r.IntN(1_000_000)) * time.Microsecond)})
	}
	for d := 1; d < opts.Days; d++ {
		midnight := end.Truncate(24*time.Hour).AddDate(0, 0, -d)
		for range 3 {
			i := r.IntN(nUsers)
			at := midnight.Add(-time.Duration(60+r.IntN(7*60)) * time.Second).Add(time.Duration(r.IntN(1_000_000)) * time.Microsecond)
			perUser[i] = append(perUser[i], plan{at: at, midnight: true})
		}
	}
	for i, u := range c.users {
		ps := perUser[i]
		sort.Slice(ps, func(a, b int) bool { return ps[a].at.Before(ps[b].at) })
		var lastEnd time.Time
		for _, p := range ps {
			if !lastEnd.IsZero() && p.at.Sub(lastEnd) < odMinSeparation {
				continue
			}
			s := genODSession(r, u, p.at, p.midnight)
			if !s[len(s)-1].at.Before(end) {
				continue
			}
			u.sessions = append(u.sessions, s)
			lastEnd = s[len(s)-1].at
		}
	}
	if opts.Hostile {
		c.odHostile(end)
	}
	return c
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// asciiName drops diacritics and apostrophes for e-mail addresses.
func asciiName(s string) string {
	return strings.NewReplacer("ë", "e", "é", "e", "ü", "u", "'", "").Replace(s)
}

// genODSession makes one session's user messages starting at start. A midnight session has
// enough messages to cross midnight.
func genODSession(r *rand.Rand, u *odUser, start time.Time, midnight bool) []*odMessage {
	tp := topics[weighted(r, topicWeights)]
	n := 1 + r.IntN(7)
	if midnight {
		n = 5 + r.IntN(4)
	}
	var out []*odMessage
	at := start
	add := func(typ, text string, data any) {
		out = append(out, &odMessage{at: at, typ: typ, text: text, data: data})
		gap := time.Duration(5+r.IntN(int(odMaxGap/time.Second)-5)) * time.Second
		if midnight {
			gap = time.Duration(40+r.IntN(150)) * time.Second
		}
		at = at.Add(gap).Add(time.Duration(r.IntN(1_000_000)-500_000) * time.Microsecond)
	}
	if chance(r, 0.2) {
		add("chat_open", "", obj{{"callback_id", "WELCOME"}, {"value", u.attrs["selected_scenario"]}})
	}
	add("text", pick(r, tp.Utterances), nil)
	for len(out) < n {
		switch k := r.IntN(10); {
		case k < 4:
			add("text", pick(r, tp.FollowUps), nil)
		case k < 6:
			label := pick(r, tp.Buttons)
			add("button_response", label, obj{{"callback_id", "intent." + slug(label)}, {"value", slug(label)}})
		case k < 7:
			label := pick(r, tp.Buttons)
			add("button", label, obj{{"callback_id", "intent." + slug(label)}, {"name", label}})
		case k < 8 && len(tp.Forms) > 0:
			form := pick(r, tp.Forms)
			add("form_response", "", obj{{"callback_id", "form." + slug(form)}, {"form_name", form},
				{"fields", obj{{"description", pick(r, tp.FollowUps)}, {"urgency", pick(r, []string{"low", "normal", "high"})}}}})
		case k < 9:
			add("url_click", "", obj{{"url", pick(r, odURLs)}})
		default:
			add("longtext_response", pick(r, odLongTexts), nil)
		}
	}
	return out
}

// slug lower-cases s and joins its words with underscores.
func slug(s string) string {
	var b strings.Builder
	sep := false
	for _, c := range strings.ToLower(s) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			if sep && b.Len() > 0 {
				b.WriteByte('_')
			}
			b.WriteRune(c)
			sep = false
		} else {
			sep = true
		}
	}
	return b.String()
}
