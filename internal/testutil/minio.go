package testutil

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// MinIO is a running MinIO server with one root user.
type MinIO struct {
	Endpoint  string // "http://127.0.0.1:port"
	AccessKey string
	SecretKey string
	Region    string

	proc   *proc
	launch launchSpec // how proc was started, for Restart
}

// StartMinIO runs a single-drive MinIO server on loopback for the test and
// returns once GET /minio/health/live answers 200.
func StartMinIO(t testing.TB) *MinIO {
	t.Helper()
	m := &MinIO{AccessKey: "root-" + randomHex(t, 6), SecretKey: randomHex(t, 16), Region: "us-east-1"}
	m.proc = start(t, "minio", m.spec)
	return m
}

func (m *MinIO) spec(dataDir string) (launchSpec, error) {
	ports, err := freePorts(2)
	if err != nil {
		return launchSpec{}, err
	}
	m.Endpoint = fmt.Sprintf("http://127.0.0.1:%d", ports[0])
	m.launch = launchSpec{
		args: []string{"server", dataDir + "/data",
			"--address", fmt.Sprintf("127.0.0.1:%d", ports[0]),
			"--console-address", fmt.Sprintf("127.0.0.1:%d", ports[1]),
			"--certs-dir", dataDir + "/certs", "--quiet", "--anonymous"},
		env: []string{"MINIO_ROOT_USER=" + m.AccessKey, "MINIO_ROOT_PASSWORD=" + m.SecretKey,
			"MINIO_BROWSER=off", "MINIO_UPDATE=off", "MINIO_CALLHOME_ENABLE=off"},
		ready:   func() error { return getOK(m.Endpoint + "/minio/health/live") },
		timeout: 60 * time.Second,
	}
	return m.launch, nil
}

// Stop stops the server, as an outage looks to its clients: connections
// are refused until Restart.
func (m *MinIO) Stop(t testing.TB) {
	t.Helper()
	m.proc.stop()
}

// Restart starts a stopped server again on the same port and data
// directory (objects and incomplete uploads survive) and returns once it
// is ready.
func (m *MinIO) Restart(t testing.TB) {
	t.Helper()
	old := m.proc
	logPath := strings.TrimSuffix(old.logPath, ".log") + "-restarted.log"
	p, err := launch(t, "minio", old.cmd.Path, m.launch.args, m.launch.env, logPath)
	if err != nil {
		t.Fatalf("testutil: restart minio: %v", err)
	}
	// Registered after the first start's cleanup, so it runs before that
	// one removes the data directory.
	t.Cleanup(p.stop)
	m.proc = p
	if err := p.waitReady(m.launch.timeout, m.launch.ready); err != nil {
		p.reported = true
		t.Fatalf("testutil: restart minio: %v; last lines of %s:\n%s", err, logPath, p.tail())
	}
}

// Env returns the AWS_* variables that point an S3 client at this server.
func (m *MinIO) Env() []string {
	return []string{
		"AWS_ACCESS_KEY_ID=" + m.AccessKey,
		"AWS_SECRET_ACCESS_KEY=" + m.SecretKey,
		"AWS_SESSION_TOKEN=",
		"AWS_REGION=" + m.Region,
		"AWS_ENDPOINT_URL_S3=" + m.Endpoint,
	}
}

// SetEnv sets Env's variables for the rest of the test (t.Setenv, so the
// test cannot be parallel).
func (m *MinIO) SetEnv(t testing.TB) {
	t.Helper()
	for _, kv := range m.Env() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
}

// MakeBucket creates a bucket, failing the test if it cannot.
func (m *MinIO) MakeBucket(t testing.TB, name string) {
	t.Helper()
	c, err := m.Client()
	if err != nil {
		t.Fatalf("testutil: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.MakeBucket(ctx, name, minio.MakeBucketOptions{Region: m.Region}); err != nil {
		t.Fatalf("testutil: make bucket %q: %v", name, err)
	}
}

// Client returns a minio-go client for this server (root credentials).
func (m *MinIO) Client() (*minio.Client, error) {
	c, err := minio.New(strings.TrimPrefix(m.Endpoint, "http://"), &minio.Options{
		Creds:  credentials.NewStaticV4(m.AccessKey, m.SecretKey, ""),
		Region: m.Region,
	})
	if err != nil {
		return nil, fmt.Errorf("minio client: %w", err)
	}
	return c, nil
}

func randomHex(t testing.TB, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatalf("testutil: random: %v", err)
	}
	return hex.EncodeToString(b)
}
