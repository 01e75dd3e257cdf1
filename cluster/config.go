package cluster

import (
	"fmt"
	"hash/fnv"
	"os"
	"strings"
	"time"
)

// Config says how to run the executors.
type Config struct {
	// Executors is the initial task group count. MinExecutors and
	// MaxExecutors bound scaling (0: Executors for both).
	Executors, MinExecutors, MaxExecutors int
	// Adopt re-uses the run's executor job when it is still running (a
	// resumed run): its executors, and the run's token from the job's
	// Nomad variable, instead of registering it anew.
	Adopt bool
	// SlotsPerExecutor is the tasks one executor runs at once (default 2).
	SlotsPerExecutor int
	// CPU (MHz) and MemoryMB reserve resources per executor.
	CPU, MemoryMB int
	// Driver is the Nomad task driver: raw_exec (default) or exec.
	Driver string
	// User, when set, is the unprivileged user executors run as (Nomad's
	// task user; the clusters terraform/ makes have "drover").
	User string
	// Binary is the drover binary on the client nodes (default: this
	// process's own binary, right when the Nomad clients are local).
	Binary string
	// ArtifactURL, when set, has Nomad download the drover binary (any
	// go-getter URL, e.g. https://.../drover or s3::https://...) into the
	// task directory and run it from there instead of Binary.
	ArtifactURL string
	// Image, when set, runs executors with the docker driver from this
	// image (which must contain drover on its PATH) instead of Binary.
	Image string
	// Datacenters to place executors in (default: all).
	Datacenters []string
	// Env is passed to every executor in the job definition: only
	// non-secret settings (S3 endpoint, region).
	Env map[string]string
	// Secrets reach executors without appearing in the job: they go into
	// the Nomad variable nomad/jobs/<job ID>, which only this job's tasks
	// can read, and a template turns them into environment variables.
	Secrets map[string]string
	// ExtraArgs are appended to the executor command line.
	ExtraArgs []string
	// ShuffleDir is the run's shuffle root, recorded in the job's meta for
	// `drover gc`.
	ShuffleDir string
	// HealthyTimeout bounds the wait for the first healthy executor.
	HealthyTimeout time.Duration
	// OnMembers, when set, hears the full list of healthy executors each
	// time Consul reports it (the event log records joins and losses).
	OnMembers func([]Member)
}

// Member is one healthy executor as Consul lists it.
type Member struct {
	Addr  string // host:port of its gRPC service
	Alloc string // Nomad allocation ID
	Node  string // Consul (= Nomad client) node name
}

func (c *Config) defaults() error {
	if c.Executors <= 0 {
		c.Executors = 2
	}
	if c.MinExecutors <= 0 {
		c.MinExecutors = c.Executors
	}
	if c.MaxExecutors <= 0 {
		c.MaxExecutors = max(c.Executors, c.MinExecutors)
	}
	if c.MinExecutors > c.MaxExecutors {
		return fmt.Errorf("min_executors %d > max_executors %d", c.MinExecutors, c.MaxExecutors)
	}
	if c.SlotsPerExecutor <= 0 {
		c.SlotsPerExecutor = 2
	}
	if c.CPU <= 0 {
		c.CPU = 500
	}
	if c.MemoryMB <= 0 {
		c.MemoryMB = 512
	}
	if c.Driver == "" {
		c.Driver = "raw_exec"
	}
	if c.Image != "" {
		c.Driver = "docker"
	}
	if c.Binary == "" && c.ArtifactURL == "" && c.Image == "" {
		exe, err := os.Executable()
		if err != nil {
			return fmt.Errorf("executor binary: %w", err)
		}
		c.Binary = exe
	}
	if len(c.Datacenters) == 0 {
		c.Datacenters = []string{"*"}
	}
	if c.HealthyTimeout <= 0 {
		c.HealthyTimeout = 90 * time.Second
	}
	return nil
}

// ExecutorJobID is the Nomad job ID for a run's executors; every job
// Drover registers starts with "drover-" so operators can find them.
func ExecutorJobID(job, run string) string {
	return "drover-" + sanitize(job) + "-" + sanitize(run) + "-executors"
}

// maxServiceName is the longest Consul (and Nomad) service name: a DNS
// label (RFC 1123).
const maxServiceName = 63

// ServiceName is the Consul service the run's executors register. A name
// longer than a DNS label (a long job name, a dispatched job's run ID) is
// cut and ends in a hash of the whole, so runs still get distinct names.
func ServiceName(job, run string) string {
	name := "drover-" + sanitize(job) + "-" + sanitize(run)
	if len(name) <= maxServiceName {
		return name
	}
	h := fnv.New32a()
	h.Write([]byte(name))
	suffix := fmt.Sprintf("-%08x", h.Sum32())
	return strings.TrimRight(name[:maxServiceName-len(suffix)], "-") + suffix
}

func sanitize(s string) string {
	s = strings.ToLower(s)
	var b strings.Builder
	for _, r := range s {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '-' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-")
}
