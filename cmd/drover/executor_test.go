package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/base64"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/drover-etl/drover/remote"
)

// TestMain lets a test start this binary as the drover CLI: a real
// executor process, without building drover separately.
func TestMain(m *testing.M) {
	if os.Getenv("DROVER_TEST_AS_CLI") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// droverCmd is this test binary run as `drover args...` with only env.
func droverCmd(t *testing.T, env map[string]string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = []string{"DROVER_TEST_AS_CLI=1", "PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	return cmd
}

func runCredentials(t *testing.T) (map[string]string, remote.ClientAuth) {
	t.Helper()
	ca, err := remote.NewRunCA("test")
	if err != nil {
		t.Fatal(err)
	}
	cert, key, err := ca.IssueExecutor()
	if err != nil {
		t.Fatal(err)
	}
	client, err := ca.ClientTLS()
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.StdEncoding.EncodeToString
	env := map[string]string{remote.EnvToken: "run-token-1234", remote.EnvCA: enc(ca.CertPEM()),
		remote.EnvTLSCert: enc(cert), remote.EnvTLSKey: enc(key)}
	return env, remote.ClientAuth{Token: "run-token-1234", TLS: client}
}

func TestExecutorRefusesToStartWithoutCredentials(t *testing.T) {
	full, _ := runCredentials(t)
	for _, missing := range remote.CredentialEnv {
		env := map[string]string{}
		for k, v := range full {
			if k != missing {
				env[k] = v
			}
		}
		out, err := droverCmd(t, env, "executor", "--listen", "127.0.0.1:0", "--health", "127.0.0.1:0").CombinedOutput()
		if err == nil || !strings.Contains(string(out), missing) {
			t.Errorf("without %s: err %v, output %q; want a refusal naming it", missing, err, out)
		}
		for _, v := range full {
			if strings.Contains(string(out), v) {
				t.Errorf("without %s the executor printed a credential: %q", missing, out)
			}
		}
	}
}

// TestExecutorProcessServesOnlyItsRun starts a real executor process
// with the run's credentials: the run's driver is served, a driver of
// another run is not, and /health says only that it is alive.
func TestExecutorProcessServesOnlyItsRun(t *testing.T) {
	env, auth := runCredentials(t)
	health := freeAddr(t)
	cmd := droverCmd(t, env, "executor", "--listen", "127.0.0.1:0", "--health", health, "--name", "exec-under-test")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	addr := servingAddr(t, stderr)

	c, err := remote.Dial(addr, auth)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if st, err := c.Status(ctx); err != nil || st.Name != "exec-under-test" {
		t.Fatalf("the run's driver: status %+v, %v", st, err)
	}
	_, other := runCredentials(t)
	oc, err := remote.Dial(addr, other)
	if err != nil {
		t.Fatal(err)
	}
	defer oc.Close()
	if _, err := oc.Status(ctx); err == nil {
		t.Fatal("a driver of another run was served")
	}
	wrong, err := remote.Dial(addr, remote.ClientAuth{Token: "wrong-token", TLS: auth.TLS})
	if err != nil {
		t.Fatal(err)
	}
	defer wrong.Close()
	if _, err := wrong.Status(ctx); err == nil {
		t.Fatal("a call with a wrong token was served")
	}
	if err := tlsWithoutClientCert(addr, auth); err == nil || !strings.Contains(err.Error(), "certificate required") {
		t.Fatalf("a TLS client without a certificate: %v, want the server's refusal", err)
	}
	resp, err := http.Get("http://" + health + "/health")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "ok\n" {
		t.Fatalf("/health = %d %q", resp.StatusCode, body)
	}
}

var servingRE = regexp.MustCompile(`serving on (\S+) `)

// servingAddr reads the executor's stderr until it says where it serves.
func servingAddr(t *testing.T, r io.Reader) string {
	t.Helper()
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if m := servingRE.FindStringSubmatch(sc.Text()); m != nil {
			go io.Copy(io.Discard, r)
			return m[1]
		}
	}
	t.Fatalf("the executor exited before serving: %v", sc.Err())
	return ""
}

func freeAddr(t *testing.T) string {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer lis.Close()
	return lis.Addr().String()
}

// tlsWithoutClientCert speaks TLS to addr trusting the executor but
// presenting no certificate; TLS 1.3 reports the refusal on the first read.
func tlsWithoutClientCert(addr string, auth remote.ClientAuth) error {
	cfg := auth.TLS.Clone()
	cfg.Certificates = nil
	cfg.NextProtos = []string{"h2"}
	conn, err := tls.Dial("tcp", addr, cfg)
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := conn.Write([]byte("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")); err != nil {
		return err
	}
	_, err = conn.Read(make([]byte, 64))
	return err
}
