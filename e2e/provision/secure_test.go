package provision

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
)

// clusterSecrets makes the cluster's certificates, gossip keys and tokens
// with scripts/cluster-secrets.sh, as an operator does before terraform
// apply, and checks that only their owner can read them.
func (e *e2e) clusterSecrets() {
	e.secrets = filepath.Join(e.work, "secrets")
	o := e.opts("cluster-secrets")
	o.env = append(append([]string{}, o.env...), "CONSUL="+e.tool("consul"), "NOMAD="+e.tool("nomad"))
	must(e.t, e.ctx, o, filepath.Join(e.root, "scripts", "cluster-secrets.sh"), e.secrets)
	entries, err := os.ReadDir(e.secrets)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, en := range entries {
		info, err := en.Info()
		if err != nil {
			e.t.Fatal(err)
		}
		if info.Mode().Perm()&0o077 != 0 {
			e.t.Fatalf("%s is mode %v: group or others may read a cluster secret", en.Name(), info.Mode().Perm())
		}
	}
	token, err := os.ReadFile(filepath.Join(e.secrets, "nomad-bootstrap.token"))
	if err != nil {
		e.t.Fatal(err)
	}
	e.nomadToken = strings.TrimSpace(string(token))
}

// checkSecured shows the cluster refusing what an unsecured one allows:
// Nomad's API without a token (403), Nomad's API over plain HTTP, Consul's
// API without a token (403), Consul's plain HTTP port from outside the
// node; and the operator's token over TLS being accepted.
func (e *e2e) checkSecured() {
	pool := x509.NewCertPool()
	ca, err := os.ReadFile(e.out.CAFile)
	if err != nil || !pool.AppendCertsFromPEM(ca) {
		e.t.Fatalf("the cluster's CA %s: %v", e.out.CAFile, err)
	}
	client := func(serverName string) *http.Client {
		return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
			TLSClientConfig: &tls.Config{RootCAs: pool, ServerName: serverName}}}
	}
	nomadTLS := client(e.out.Env["NOMAD_TLS_SERVER_NAME"])
	consulTLS := client(e.out.Env["CONSUL_TLS_SERVER_NAME"])

	e.expectStatus(nomadTLS, e.out.NomadAddr+"/v1/jobs", "", http.StatusForbidden)
	e.expectStatus(nomadTLS, e.out.NomadAddr+"/v1/jobs?namespace=*", e.nomadToken, http.StatusOK)
	plain := "http://" + strings.TrimPrefix(e.out.NomadAddr, "https://") + "/v1/jobs"
	code, body, err := get(&http.Client{Timeout: 10 * time.Second}, plain, "")
	if err == nil && code < 400 {
		e.t.Fatalf("plain HTTP %s answered %d: %s", plain, code, body)
	}
	e.t.Logf("   %s without a token: 403; over plain HTTP: refused (%s)", e.out.NomadAddr, refusal(code, err))

	e.expectStatus(consulTLS, e.out.ConsulAddr+"/v1/agent/self", "", http.StatusForbidden)
	host := strings.TrimPrefix(e.out.ConsulAddr, "https://")
	host = host[:strings.LastIndex(host, ":")]
	code, body, err = get(&http.Client{Timeout: 10 * time.Second}, "http://"+host+":8500/v1/agent/self", "")
	if err == nil {
		e.t.Fatalf("Consul's plain HTTP port answered from outside the node: %d %s", code, body)
	}
	e.t.Logf("   %s without a token: 403; plain HTTP :8500 from the host: refused (%v)", e.out.ConsulAddr, err)
}

// expectStatus fails unless GET url (with token, if any) answers want.
func (e *e2e) expectStatus(c *http.Client, url, token string, want int) {
	e.t.Helper()
	code, body, err := get(c, url, token)
	if err != nil {
		e.t.Fatalf("GET %s: %v", url, err)
	}
	if code != want {
		e.t.Fatalf("GET %s (token: %t): %d, want %d: %s", url, token != "", code, want, body)
	}
}

func get(c *http.Client, url, token string) (int, string, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return 0, "", err
	}
	if token != "" {
		req.Header.Set("X-Nomad-Token", token)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	return resp.StatusCode, strings.TrimSpace(string(b)), nil
}

func refusal(code int, err error) string {
	if err != nil {
		return err.Error()
	}
	return fmt.Sprintf("HTTP %d", code)
}

// checkJobsUserScope shows the jobs' MinIO user confined to its buckets:
// it reads the inputs and writes the output bucket, but may not write the
// inputs nor create a bucket.
func (e *e2e) checkJobsUserScope() {
	if _, err := e.s3.StatObject(e.ctx, "data", jobSpecKey, minio.StatObjectOptions{}); err != nil {
		e.t.Fatalf("the jobs' user cannot read s3://data/%s: %v", jobSpecKey, err)
	}
	probe := []byte("probe")
	_, err := e.s3.PutObject(e.ctx, "data", "probe", bytes.NewReader(probe), int64(len(probe)), minio.PutObjectOptions{})
	if !accessDenied(err) {
		e.t.Fatalf("the jobs' user writing the input bucket: %v, want AccessDenied", err)
	}
	if err := e.s3.MakeBucket(e.ctx, "probe", minio.MakeBucketOptions{}); !accessDenied(err) {
		e.t.Fatalf("the jobs' user creating a bucket: %v, want AccessDenied", err)
	}
	if _, err := e.s3.PutObject(e.ctx, "out", "probe", bytes.NewReader(probe), int64(len(probe)), minio.PutObjectOptions{}); err != nil {
		e.t.Fatalf("the jobs' user cannot write the output bucket: %v", err)
	}
	if err := e.s3.RemoveObject(e.ctx, "out", "probe", minio.RemoveObjectOptions{}); err != nil {
		e.t.Fatal(err)
	}
	e.t.Logf("   the jobs' S3 user reads s3://data, writes s3://out; writing s3://data and making buckets: AccessDenied")
}

func accessDenied(err error) bool {
	var resp minio.ErrorResponse
	return errors.As(err, &resp) && resp.Code == "AccessDenied"
}
