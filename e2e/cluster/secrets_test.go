package cluster

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	nomad "github.com/hashicorp/nomad/api"

	"github.com/drover-etl/drover/internal/e2eutil"
	"github.com/drover-etl/drover/remote"
)

// templateLiteral is SQL text that Nomad's template engine would execute
// (rendering the S3 secret key), free of commas and double quotes so that
// the CSV output holds it verbatim.
const templateLiteral = "{{ env `AWS_SECRET_ACCESS_KEY` }}{{ .secret_key }}"

// TestSecretsStayOutOfJobsAndLogs runs the driver as a Nomad batch job
// with the spec inline (job_spec_hcl) and collects, while the run goes
// on, every Nomad job definition, every allocation's logs, and the
// executors' run credentials from their Nomad variable. Afterwards none
// of the texts may hold the S3 secret key, the run's token or a private
// key; and the spec's template syntax reached the output as data.
func TestSecretsStayOutOfJobsAndLogs(t *testing.T) {
	e := setup(t)
	genDemo(t)
	spec := strings.Replace(jobHCL, "SELECT c.country, o.status,", "SELECT c.country, o.status, '"+templateLiteral+"' AS tmpl,", 1)
	spec = strings.Replace(spec, "GROUP BY c.country, o.status", "GROUP BY c.country, o.status, tmpl", 1)
	nomadCLI(t, "var", "put", "-force", "nomad/jobs/drover-driver", "access_key="+e.minio.AccessKey, "secret_key="+e.minio.SecretKey)
	jobFile := filepath.Join(e2eutil.RepoRoot(t), "nomad", "drover-driver.nomad.hcl")
	vars := []string{
		"-var", "drover_binary=" + e.binary,
		"-var", "job_spec_hcl=" + spec,
		"-var", "shuffle_dir=s3://shuffle/secrets",
		"-var", "s3_endpoint=" + e.minio.Endpoint,
		"-var", "nomad_addr=" + os.Getenv("NOMAD_ADDR"),
		"-var", "consul_addr=" + os.Getenv("CONSUL_HTTP_ADDR"),
		"-var", `job_vars=["name=secrets"]`,
		"-var", "executors=2",
	}
	nc := nomadClient(t)
	col := &collector{nc: nc, texts: map[string]string{}, secrets: map[string]string{}}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); col.run(ctx) }()
	nomadCLI(t, append(append([]string{"job", "run", "-detach"}, vars...), jobFile)...)
	defer nc.Jobs().Deregister("drover-driver", true, nil)
	waitBatchDone(t, nc, "drover-driver")
	stop()
	<-done
	col.collect() // the driver's final output and summary

	out := strings.Join(readAll(t, "s3://out/secrets/"), "\n")
	if !strings.Contains(out, templateLiteral) {
		t.Fatalf("the spec's template text did not reach the output unchanged:\n%.2000s", out)
	}
	if col.secrets["run token"] == "" || col.secrets["executor key"] == "" {
		t.Fatalf("never saw the executors' run credentials in their Nomad variable (collected %d texts)", len(col.texts))
	}
	col.secrets["S3 secret key"] = e.minio.SecretKey
	col.secrets["a PEM private key"] = "PRIVATE KEY-----"
	var kinds = map[string]int{}
	for name, text := range col.texts {
		kinds[strings.SplitN(name, " ", 2)[0]]++
		for what, secret := range col.secrets {
			if strings.Contains(text, secret) {
				t.Errorf("%s contains %s", name, what)
			}
		}
	}
	if kinds["job"] < 2 || kinds["log"] < 3 {
		t.Fatalf("collected too little to judge: %v", kinds)
	}
	t.Logf("checked %d texts (%v) for %d secrets", len(col.texts), kinds, len(col.secrets))
}

// collector polls Nomad for Drover's jobs, their allocations' log files
// and the executors' Nomad variable, keeping the latest of each.
type collector struct {
	nc      *nomad.Client
	mu      sync.Mutex
	texts   map[string]string // "job <id>", "log <alloc>/<file>"
	secrets map[string]string
}

func (c *collector) run(ctx context.Context) {
	for {
		c.collect()
		select {
		case <-ctx.Done():
			return
		case <-time.After(300 * time.Millisecond):
		}
	}
}

func (c *collector) collect() {
	jobs, _, err := c.nc.Jobs().PrefixList("drover-")
	if err != nil {
		return
	}
	for _, j := range jobs {
		if job, _, err := c.nc.Jobs().Info(j.ID, nil); err == nil {
			b, _ := json.Marshal(job)
			c.put("job "+j.ID, string(b))
		}
		c.variable(j.ID)
		allocs, _, err := c.nc.Jobs().Allocations(j.ID, true, nil)
		if err != nil {
			continue
		}
		for _, stub := range allocs {
			c.logs(stub.ID)
		}
	}
}

// variable notes the run credentials an executor job's variable holds.
func (c *collector) variable(jobID string) {
	v, _, err := c.nc.Variables().Read("nomad/jobs/"+jobID, nil)
	if err != nil || v == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if tok := v.Items[remote.EnvToken]; tok != "" {
		c.secrets["run token"] = tok
	}
	if key := v.Items[remote.EnvTLSKey]; key != "" {
		c.secrets["executor key"] = key
		if pem, err := base64.StdEncoding.DecodeString(key); err == nil {
			lines := strings.Split(strings.TrimSpace(string(pem)), "\n")
			c.secrets["executor key (PEM body)"] = lines[1] // the first base64 line of the key
		}
	}
}

func (c *collector) logs(allocID string) {
	alloc, _, err := c.nc.Allocations().Info(allocID, nil)
	if err != nil {
		return
	}
	files, _, err := c.nc.AllocFS().List(alloc, "alloc/logs", nil)
	if err != nil {
		return
	}
	for _, f := range files {
		r, err := c.nc.AllocFS().Cat(alloc, "alloc/logs/"+f.Name, nil)
		if err != nil {
			continue
		}
		b, _ := io.ReadAll(r)
		r.Close()
		c.put(fmt.Sprintf("log %s/%s", allocID, f.Name), string(b))
	}
}

func (c *collector) put(name, text string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(text) >= len(c.texts[name]) {
		c.texts[name] = text
	}
}
