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
		// The dev agent is not a hardened cluster (e2e/provision tests
		// those): no namespace drover, so run where its jobs and variables are,
		"-var", "namespace=default",
		// and no user drover; raw_exec as the dev agent offers it.
		"-var", "task_user=", "-var", "task_driver=raw_exec",
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
	// The driver's event log, beside the shuffle dir (job spec, plans,
	// every task's events and errors).
	col.texts["event log"] = strings.Join(readAll(t, "s3://shuffle/events/"), "\n")

	out := strings.Join(readAll(t, "s3://out/secrets/"), "\n")
	if !strings.Contains(out, templateLiteral) {
		t.Fatalf("the spec's template text did not reach the output unchanged:\n%.2000s", out)
	}
	if col.secrets["run token"] == "" || col.secrets["executor key"] == "" {
		t.Fatalf("never saw the executors' run credentials in their Nomad variable (collected %d texts)", len(col.texts))
	}
	col.secrets["S3 secret key"] = e.minio.SecretKey
	col.secrets["a PEM private key"] = "PRIVATE KEY-----"
	var names []string
	for name, text := range col.texts {
		names = append(names, name)
		for what, secret := range col.secrets {
			if strings.Contains(text, secret) {
				t.Errorf("%s contains %s", name, what)
			}
		}
	}
	// What was collected must include each kind of text the check is for.
	for what, marker := range map[string]string{
		"the driver job's definition":    `"ID":"drover-driver"`,
		"the executor job's definition":  `-executors","Name"`,
		"the driver's progress (stderr)": "starting executors as Nomad job",
		"the driver's run summary":       "job finished in",
		"an executor's log":              "serving on",
		"the driver's event log":         `"type":"run_end"`,
	} {
		if !col.holds(marker) {
			t.Errorf("collected nothing with %s (%q); collected: %v", what, marker, names)
		}
	}
	t.Logf("checked %d texts for %d secrets: %v", len(col.texts), len(col.secrets), names)
}

func (c *collector) holds(marker string) bool {
	for _, text := range c.texts {
		if strings.Contains(text, marker) {
			return true
		}
	}
	return false
}

// collector polls Nomad for Drover's jobs, their allocations' log files
// and the executors' Nomad variable, keeping the latest of each.
type collector struct {
	nc      *nomad.Client
	mu      sync.Mutex
	texts   map[string]string // "job <id>", "log <alloc>/<file>"
	secrets map[string]string
}

// run polls until ctx ends: job definitions and variables in one loop,
// logs in another, so a slow log read never makes it miss the short-lived
// variable of the executor job.
func (c *collector) run(ctx context.Context) {
	var wg sync.WaitGroup
	for _, pass := range []func(){c.jobs, c.allLogs} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				pass()
				select {
				case <-ctx.Done():
					return
				case <-time.After(200 * time.Millisecond):
				}
			}
		}()
	}
	wg.Wait()
}

func (c *collector) collect() {
	c.jobs()
	c.allLogs()
}

func (c *collector) jobIDs() []string {
	jobs, _, err := c.nc.Jobs().PrefixList("drover-")
	if err != nil {
		return nil
	}
	ids := make([]string, len(jobs))
	for i, j := range jobs {
		ids[i] = j.ID
	}
	return ids
}

func (c *collector) jobs() {
	for _, id := range c.jobIDs() {
		c.variable(id)
		if job, _, err := c.nc.Jobs().Info(id, nil); err == nil {
			b, _ := json.Marshal(job)
			c.put("job "+id, string(b))
		}
	}
}

func (c *collector) allLogs() {
	for _, id := range c.jobIDs() {
		allocs, _, err := c.nc.Jobs().Allocations(id, true, nil)
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

// logs reads every log file of an allocation. A client may never answer
// for an allocation it is tearing down, hence the timeout.
func (c *collector) logs(allocID string) {
	alloc, _, err := c.nc.Allocations().Info(allocID, nil)
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	q := (&nomad.QueryOptions{}).WithContext(ctx)
	files, _, err := c.nc.AllocFS().List(alloc, "alloc/logs", q)
	if err != nil {
		return
	}
	for _, f := range files {
		if f.IsDir || strings.HasSuffix(f.Name, ".fifo") {
			continue // the log shipper's pipes: a read would block
		}
		r, err := c.nc.AllocFS().Cat(alloc, "alloc/logs/"+f.Name, q)
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
