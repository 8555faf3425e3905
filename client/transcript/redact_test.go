package transcript

import "testing"

func TestRedact(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		// E-mail.
		{"email", "mail jane.doe+vpn@mail.example.co.uk now", "mail [email] now"},
		{"email in brackets", "<ops@example.com>", "<[email]>"},
		{"not email: handle", "ping @jane on slack", "ping @jane on slack"},
		// Phones.
		{"phone intl spaces", "call +1 415 555 0100 today", "call [phone] today"},
		{"phone intl compact", "call +441632960961.", "call [phone]."},
		{"phone intl dashes", "+49-30-1234-5678", "[phone]"},
		{"phone intl parens", "+44 (0) 20 7946 0958", "[phone]"},
		{"phone us parens", "(415) 555-0100", "[phone]"},
		{"phone us dashes", "at 415-555-0100.", "at [phone]."},
		{"phone us dots", "415.555.0100", "[phone]"},
		{"phone us with 1", "1-800-555-0199", "[phone]"},
		{"not phone: date", "on 2026-11-08 at 10:04:05", "on 2026-11-08 at 10:04:05"},
		{"not phone: date range", "2026-11-08/2026-11-15", "2026-11-08/2026-11-15"},
		{"not phone: ticket", "INC0012345 and RITM0001234", "INC0012345 and RITM0001234"},
		{"not phone: bare digits", "order 4155550100", "order 4155550100"},
		{"not phone: version", "v1.2.3", "v1.2.3"},
		// IPs.
		{"ipv4", "host 10.20.30.40 is down", "host [ip] is down"},
		{"ipv4 port", "192.168.0.1:8080", "[ip]:8080"},
		{"not ipv4: octet", "999.1.1.1", "999.1.1.1"},
		{"not ipv4: 5 parts", "1.2.3.4.5", "1.2.3.4.5"},
		{"ipv6", "from 2001:db8::8a2e:370:7334 ok", "from [ip] ok"},
		{"ipv6 full", "fe80:0:0:0:200:f8ff:fe21:67cf", "[ip]"},
		{"ipv6 loopback-ish", "fe80::1%eth0", "[ip]"},
		{"not ipv6: time", "at 10:04:05", "at 10:04:05"},
		{"not ipv6: c++", "std::vector and a::b", "std::vector and a::b"},
		{"not ipv6: mac-ish words", "ratio 3:2", "ratio 3:2"},
		// Cards.
		{"card visa spaced", "card 4111 1111 1111 1111 ok", "card [card] ok"},
		{"card dashes", "5500-0000-0000-0004", "[card]"},
		{"card amex", "378282246310005", "[card]"},
		{"not card: luhn fails", "4111 1111 1111 1112", "4111 1111 1111 1112"},
		{"not card: 20-digit user id", "user 15392314957513647503", "user 15392314957513647503"},
		{"not card: 19-digit user id", "user 9392314957513647503", "user 9392314957513647503"},
		{"not card: mixed separators", "4111 1111-1111 1111", "4111 1111-1111 1111"},
		// Tokens.
		{"bearer", "Authorization: Bearer abc.DEF-123_xyz", "Authorization: Bearer [token]"},
		{"jwt", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", "[token]"},
		{"openai key", "key sk-proj-AbCdEf0123456789GhIj", "key [token]"},
		{"github token", "ghp_16C7e42F292c6912E7710c838347Ae178B4a", "[token]"},
		{"slack token", "xoxb-123456789012-abcdefABCDEF", "[token]"},
		{"aws key", "AKIAIOSFODNN7EXAMPLE", "[token]"},
		{"hex secret", "secret 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "secret [token]"},
		{"base64 secret", "pw dGhpcyBpcyBhIHNlY3JldCB0b2tlbiAxMjM0NTY3OA==", "pw [token]"},
		{"not token: moveworks id", "conversation Q7fTz2LmX0aB", "conversation Q7fTz2LmX0aB"},
		{"not token: uuid", "id 123e4567-e89b-12d3-a456-426614174000", "id 123e4567-e89b-12d3-a456-426614174000"},
		{"not token: long word", "internationalization_configuration_settings", "internationalization_configuration_settings"},
		{"not token: path", "/usr/local/share/applications/firefox", "/usr/local/share/applications/firefox"},
		{"not token: sentence", "The quick brown fox jumps over the lazy dog", "The quick brown fox jumps over the lazy dog"},
		// Several at once, and idempotence of masks.
		{"mixed", "jane@example.com 10.0.0.1 +1 415 555 0100", "[email] [ip] [phone]"},
		{"masks stay", "[email] [phone] [ip] [card] [token]", "[email] [phone] [ip] [card] [token]"},
		{"empty", "", ""},
		{"unicode around", "é jane@example.com — 東京", "é [email] — 東京"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Redact(tt.in); got != tt.want {
				t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got := Redact(Redact(tt.in)); got != tt.want {
				t.Errorf("Redact is not idempotent on %q: %q", tt.in, got)
			}
		})
	}
}

func TestLuhn(t *testing.T) {
	for in, want := range map[string]bool{"4111111111111111": true, "4111111111111112": false, "79927398713": true, "0": true} {
		if got := luhn([]byte(in)); got != want {
			t.Errorf("luhn(%s) = %v", in, got)
		}
	}
}
