package cluster

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/drover-etl/drover/cluster"
	"github.com/drover-etl/drover/engine"
	"github.com/drover-etl/drover/executor"
	"github.com/drover-etl/drover/storage"
)

// TestFaultsFailFastAndLeaveNothing covers the cluster-level failures the
// user must see clearly: each fails fast, names the cause, and leaves no
// executor job behind.
func TestFaultsFailFastAndLeaveNothing(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	cfg := func() cluster.Config {
		return cluster.Config{Executors: 1, Binary: e.binary, CPU: 100, MemoryMB: 128, HealthyTimeout: 20 * time.Second, Env: e.s3Env(), Secrets: e.s3Secrets()}
	}

	t.Run("placement failure shows Nomad's reason", func(t *testing.T) {
		c := cfg()
		c.MemoryMB = 10 << 20 // 10 TiB
		_, err := cluster.Start(ctx, c, "big", "r1")
		if !errors.Is(err, cluster.ErrPlacement) || !strings.Contains(err.Error(), "memory") {
			t.Fatalf("want a placement error naming memory, got %v", err)
		}
		assertNoDroverJobsEnv(t)
	})

	t.Run("executor that never becomes healthy", func(t *testing.T) {
		c := cfg()
		c.Binary = filepath.Join(t.TempDir(), "no-such-drover")
		start := time.Now()
		_, err := cluster.Start(ctx, c, "broken", "r2")
		if !errors.Is(err, cluster.ErrNeverHealthy) {
			t.Fatalf("want ErrNeverHealthy, got %v", err)
		}
		t.Logf("failed after %s: %v", time.Since(start).Round(time.Millisecond), err)
		assertNoDroverJobsEnv(t)
	})

	t.Run("nomad unreachable", func(t *testing.T) {
		t.Setenv("NOMAD_ADDR", "http://"+deadAddr(t))
		_, err := cluster.Start(ctx, cfg(), "x", "r3")
		if !errors.Is(err, cluster.ErrNomadUnreachable) {
			t.Fatalf("want ErrNomadUnreachable, got %v", err)
		}
	})

	t.Run("consul unreachable", func(t *testing.T) {
		t.Setenv("CONSUL_HTTP_ADDR", deadAddr(t))
		_, err := cluster.Start(ctx, cfg(), "x", "r4")
		if !errors.Is(err, cluster.ErrConsulUnreachable) {
			t.Fatalf("want ErrConsulUnreachable, got %v", err)
		}
		assertNoDroverJobsEnv(t)
	})

	t.Run("unknown bucket", func(t *testing.T) {
		_, err := runS3Job(t, "s3://no-such-bucket/in/*.csv", "s3://out/unknown-bucket/")
		if err == nil || !strings.Contains(err.Error(), "no-such-bucket") {
			t.Fatalf("want an error naming the bucket, got %v", err)
		}
	})

	t.Run("wrong credentials", func(t *testing.T) {
		t.Setenv("AWS_SECRET_ACCESS_KEY", "definitely-wrong-secret")
		storage.ResetCache()
		defer storage.ResetCache()
		_, err := runS3Job(t, "s3://data/x/*.csv", "s3://out/bad-creds/")
		if err == nil || strings.Contains(err.Error(), "definitely-wrong-secret") {
			t.Fatalf("want a credentials error without the secret, got %v", err)
		}
		if !strings.Contains(strings.ToLower(err.Error()), "credential") && !strings.Contains(strings.ToLower(err.Error()), "denied") {
			t.Fatalf("error does not say the credentials were rejected: %v", err)
		}
	})
}

func runS3Job(t *testing.T, in, out string) (any, error) {
	t.Helper()
	job := fmt.Sprintf(`
job "s3" {
  source "s" {
    format = "csv"
    path   = %q
    schema = { a = "int64" }
  }
  sink "o" {
    from   = "s"
    format = "csv"
    path   = %q
  }
}`, in, out)
	path := filepath.Join(t.TempDir(), "job.hcl")
	os.WriteFile(path, []byte(job), 0o644)
	c, err := engine.Compile(context.Background(), path, engine.Options{Parallelism: 1})
	if err != nil {
		return nil, err
	}
	return engine.Run(context.Background(), c, executor.NewLocal(&executor.Runtime{}, 1), engine.RunOptions{})
}

// deadAddr is a loopback address nothing listens on.
func deadAddr(t *testing.T) string {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := lis.Addr().String()
	lis.Close()
	return addr
}

// TestExecutorsFromArtifact has Nomad download the drover binary as an
// artifact (a tar.gz served over loopback HTTP) instead of using a path on
// the client.
func TestExecutorsFromArtifact(t *testing.T) {
	e := setup(t)
	dir := t.TempDir()
	tgz := filepath.Join(dir, "drover.tar.gz")
	cmd := exec.Command("tar", "-czf", tgz, "-C", filepath.Dir(e.binary), filepath.Base(e.binary))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tar: %v\n%s", err, out)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	cl, err := cluster.Start(context.Background(), cluster.Config{Executors: 1, ArtifactURL: srv.URL + "/drover.tar.gz",
		CPU: 100, MemoryMB: 128, HealthyTimeout: 60 * time.Second}, "artifact", "r1")
	if err != nil {
		t.Fatal(err)
	}
	if len(cl.Pool().Live()) == 0 {
		t.Fatal("no executor from the artifact became healthy")
	}
	if err := cl.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	assertNoDroverJobsEnv(t)
}
