package mock

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Vendor describes one running mock vendor: where it is and the demo credentials it accepts.
type Vendor struct {
	Kind         string // "moveworks", "talkdesk", "opendialog"
	BaseURL      string // the API base URL, e.g. http://127.0.0.1:8700/export/v1/records
	TokenURL     string // the OAuth2 token endpoint, if the vendor has one
	APIKey       string // an API key or static bearer token, if the vendor accepts one
	ClientID     string // OAuth2 client id, if any
	ClientSecret string // OAuth2 client secret, if any
	// PagingOrigins are further origins the vendor's paging links point at (Talkdesk's next
	// links leave the base URL's origin); a client must allow them (allowed_hosts).
	PagingOrigins []string
}

// Servers are the running mock vendors, each on its own loopback origin.
type Servers struct {
	Moveworks Vendor
	Talkdesk  Vendor // base port + 1
	// OpenDialog is base port + 2; BaseURL ends in /public/api and APIKey is its Bearer token.
	OpenDialog Vendor

	closeOnce sync.Once
	closeErr  error
	servers   []*http.Server
	done      chan struct{}
}

// vendorSpec is one vendor to start: its port offset from a fixed base port, its handler,
// and how to describe it once its address is known.
type vendorSpec struct {
	offset  int
	handler http.Handler
	fill    func(s *Servers, origin string)
}

// Start generates the corpus and starts every mock vendor on loopback. With addr
// "127.0.0.1:0" each vendor gets its own OS-chosen port; with "127.0.0.1:8700" Moveworks
// listens on 8700 and later vendors on the following ports (8701, 8702). Each vendor is its
// own origin. The servers stop when ctx is done or Close is called.
func Start(ctx context.Context, addr string, opts Options) (*Servers, error) {
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("mock: address %q: %w", addr, err)
	}
	if !isLoopback(host) {
		return nil, fmt.Errorf("mock: address %q is not a loopback address; the mock vendors only listen on loopback", addr)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil || port < 0 || port > 65535 {
		return nil, fmt.Errorf("mock: address %q: bad port", addr)
	}
	mw := NewMoveworks(opts)
	specs := []vendorSpec{
		{offset: 0, handler: mw, fill: func(s *Servers, origin string) {
			s.Moveworks = Vendor{Kind: "moveworks", BaseURL: origin + MoveworksRecordsPath, TokenURL: origin + MoveworksTokenPath,
				APIKey: mw.APIKey, ClientID: mw.ClientID, ClientSecret: mw.ClientSecret}
		}},
	}
	td := NewTalkdesk(opts)
	specs = append(specs, vendorSpec{offset: 1, handler: td, fill: func(s *Servers, origin string) {
		s.Talkdesk = Vendor{Kind: "talkdesk", BaseURL: origin, TokenURL: origin + TalkdeskTokenPath,
			ClientID: td.ClientID, ClientSecret: td.ClientSecret, PagingOrigins: []string{TalkdeskPagingOrigin(origin)}}
	}})
	od := NewOpenDialog(opts)
	specs = append(specs, vendorSpec{offset: 2, handler: od, fill: func(s *Servers, origin string) {
		s.OpenDialog = Vendor{Kind: "opendialog", BaseURL: origin + OpenDialogBasePath, APIKey: od.Token}
	}})
	s := &Servers{done: make(chan struct{})}
	for _, sp := range specs {
		p := 0
		if port != 0 {
			p = port + sp.offset
		}
		var lc net.ListenConfig
		ln, err := lc.Listen(ctx, "tcp", net.JoinHostPort(host, strconv.Itoa(p)))
		if err != nil {
			_ = s.Close()
			return nil, fmt.Errorf("mock: listen: %w", err)
		}
		srv := &http.Server{Handler: opts.Faults.Wrap(sp.handler, opts.Seed+int64(sp.offset)), ReadHeaderTimeout: 10 * time.Second}
		s.servers = append(s.servers, srv)
		sp.fill(s, "http://"+ln.Addr().String())
		go func() { _ = srv.Serve(ln) }()
	}
	go func() {
		select {
		case <-ctx.Done():
			_ = s.Close()
		case <-s.done:
		}
	}()
	return s, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Close stops every vendor and closes their connections. It is safe to call more than once.
func (s *Servers) Close() error {
	s.closeOnce.Do(func() {
		close(s.done)
		var errs []error
		for _, srv := range s.servers {
			if err := srv.Close(); err != nil {
				errs = append(errs, err)
			}
		}
		s.closeErr = errors.Join(errs...)
	})
	return s.closeErr
}
