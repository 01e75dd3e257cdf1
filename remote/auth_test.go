package remote

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/drover-etl/drover/executor"
)

const testToken = "t0ken"

// testCA is one run's CA shared by the package's tests.
var testCA = sync.OnceValues(func() (*RunCA, error) { return NewRunCA("test") })

func ca(t *testing.T) *RunCA {
	t.Helper()
	c, err := testCA()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func testServerAuth(t *testing.T) ServerAuth {
	t.Helper()
	return serverAuthFrom(t, ca(t))
}

func serverAuthFrom(t *testing.T, c *RunCA) ServerAuth {
	t.Helper()
	cert, key, err := c.IssueExecutor()
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := ServerTLSConfig(c.CertPEM(), cert, key)
	if err != nil {
		t.Fatal(err)
	}
	return ServerAuth{Token: testToken, TLS: cfg}
}

func testClientAuth(t *testing.T) ClientAuth {
	t.Helper()
	cfg, err := ca(t).ClientTLS()
	if err != nil {
		t.Fatal(err)
	}
	return ClientAuth{Token: testToken, TLS: cfg}
}

// rawStatus calls Status over a connection built with creds, bypassing
// Dial's own checks, as a foreign client would.
func rawStatus(t *testing.T, addr string, creds credentials.TransportCredentials, token string) error {
	t.Helper()
	opts := []grpc.DialOption{grpc.WithTransportCredentials(creds),
		grpc.WithDefaultCallOptions(grpc.CallContentSubtype(codecName))}
	if token != "" {
		opts = append(opts, grpc.WithPerRPCCredentials(bearer(token)))
	}
	conn, err := grpc.NewClient(addr, opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	return conn.Invoke(context.Background(), "/"+serviceName+"/Status", &StatusRequest{}, &Status{})
}

func TestForeignClientsAreRefused(t *testing.T) {
	_, addr := startServer(t, "e1")
	own := testClientAuth(t).TLS
	noCert := own.Clone()
	noCert.Certificates = nil
	other, err := NewRunCA("other")
	if err != nil {
		t.Fatal(err)
	}
	otherTLS, err := other.ClientTLS()
	if err != nil {
		t.Fatal(err)
	}
	otherCert := own.Clone() // trusts the executor, presents another run's certificate
	otherCert.Certificates = otherTLS.Certificates
	for _, c := range []struct {
		name  string
		creds credentials.TransportCredentials
		token string
	}{
		{"plaintext", insecure.NewCredentials(), ""},
		{"no client certificate", credentials.NewTLS(noCert), testToken},
		{"certificate from another run's CA", credentials.NewTLS(otherCert), testToken},
		{"right certificate, wrong token", credentials.NewTLS(own), "wrong"},
		{"right certificate, no token", credentials.NewTLS(own), ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := rawStatus(t, addr, c.creds, c.token); err == nil {
				t.Fatal("the executor answered")
			}
		})
	}
	if err := rawStatus(t, addr, credentials.NewTLS(own), testToken); err != nil {
		t.Fatalf("the run's own client was refused: %v", err)
	}
}

// TestExecutorOfAnotherRunIsNotTrusted: the driver verifies the executor
// too; an executor with another run's certificate gets no task.
func TestExecutorOfAnotherRunIsNotTrusted(t *testing.T) {
	other, err := NewRunCA("other")
	if err != nil {
		t.Fatal(err)
	}
	lis := listen(t)
	s, err := NewServer(&executor.Runtime{Name: "impostor"}, 1, serverAuthFrom(t, other))
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(lis)
	defer s.Stop()
	c, err := Dial(lis.Addr().String(), testClientAuth(t))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Status(context.Background()); err == nil {
		t.Fatal("the driver trusted an executor of another run")
	}
}

func TestMissingCredentialsRefuseToStart(t *testing.T) {
	good := testServerAuth(t)
	optional := good.TLS.Clone()
	optional.ClientAuth = tls.VerifyClientCertIfGiven
	for _, c := range []struct {
		name string
		auth ServerAuth
		want error
	}{
		{"no token", ServerAuth{TLS: good.TLS}, ErrNoToken},
		{"no TLS", ServerAuth{Token: testToken}, ErrNoCertificate},
		{"client certificates optional", ServerAuth{Token: testToken, TLS: optional}, ErrBadCredentials},
	} {
		if _, err := NewServer(&executor.Runtime{}, 1, c.auth); !errors.Is(err, c.want) {
			t.Errorf("%s: NewServer error %v, want %v", c.name, err, c.want)
		}
	}
	client := testClientAuth(t)
	for _, a := range []ClientAuth{{TLS: client.TLS}, {Token: testToken}} {
		if _, err := Dial("127.0.0.1:1", a); err == nil {
			t.Errorf("Dial without token or certificate succeeded (%+v)", a.Token)
		}
	}
}

func TestBadKeyMaterialIsRefusedWithoutQuotingIt(t *testing.T) {
	cert, key, err := ca(t).IssueExecutor()
	if err != nil {
		t.Fatal(err)
	}
	_, err = ServerTLSConfig(ca(t).CertPEM(), cert, key[:len(key)/2])
	if !errors.Is(err, ErrBadCredentials) || strings.Contains(err.Error(), string(key[40:60])) {
		t.Fatalf("a truncated key: %v", err)
	}
	if _, err := ServerTLSConfig([]byte("junk"), cert, key); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("a junk CA: %v", err)
	}
}

func TestHealthRevealsOnlyLiveness(t *testing.T) {
	s, _ := startServer(t, "secret-executor-name")
	hs := httptest.NewServer(s.HealthHandler())
	defer hs.Close()
	resp, err := http.Get(hs.URL + "/health")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || string(body) != "ok\n" {
		t.Fatalf("/health = %d %q, want 200 \"ok\\n\"", resp.StatusCode, body)
	}
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return lis
}
