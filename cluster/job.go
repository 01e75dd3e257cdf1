package cluster

import (
	"strconv"
	"time"

	nomad "github.com/hashicorp/nomad/api"
)

// groupName is the executors' task group.
const groupName = "executors"

// Job meta keys of an executor job.
const (
	MetaService    = "drover.service"
	MetaRun        = "drover.run"
	MetaShuffleDir = "drover.shuffle_dir"
)

// executorJob builds the Nomad job that runs the executors. It is a batch
// job: Nomad restarts or reschedules an executor that fails or whose node
// is lost (the replacement joins through Consul), but leaves alone one
// that exits 0 — asked to by the driver, or gone because its lease on a
// vanished driver expired (remote.Server.DriverGone) — so a killed
// driver's executors end instead of running on forever. Its meta names
// the run, so `drover gc` can find what a crashed run left.
func executorJob(cfg *Config, jobID, service, run string) *nomad.Job {
	count := cfg.Executors
	job := nomad.NewBatchJob(jobID, jobID, "", 50)
	job.Datacenters = cfg.Datacenters
	job.Meta = map[string]string{MetaService: service, MetaRun: run}
	if cfg.ShuffleDir != "" {
		job.Meta[MetaShuffleDir] = cfg.ShuffleDir
	}
	tg := nomad.NewTaskGroup(groupName, count)
	tg.Networks = []*nomad.NetworkResource{{DynamicPorts: []nomad.Port{{Label: "rpc"}, {Label: "health"}}}}
	tg.Services = []*nomad.Service{{
		Name: service, PortLabel: "rpc", Provider: "consul",
		Meta: map[string]string{"alloc_id": "${NOMAD_ALLOC_ID}"}, // for explainLoss
		Checks: []nomad.ServiceCheck{{Name: "health", Type: "http", Path: "/health", PortLabel: "health",
			Interval: time.Second, Timeout: 2 * time.Second}},
	}, metricsService(jobID)}
	attempts, interval := 2, time.Minute
	tg.RestartPolicy = &nomad.RestartPolicy{Attempts: &attempts, Interval: &interval, Mode: strPtr("fail")}
	// As a service job would: keep replacing failed executors, backing off.
	unlimited, none, delay, maxDelay := true, 0, 5*time.Second, time.Minute
	var noInterval time.Duration
	tg.ReschedulePolicy = &nomad.ReschedulePolicy{Unlimited: &unlimited, Attempts: &none, Interval: &noInterval,
		Delay: &delay, DelayFunction: strPtr("exponential"), MaxDelay: &maxDelay}
	tg.AddTask(executorTask(cfg, jobID))
	job.AddTaskGroup(tg)
	return job
}

// MetricsService is the Consul service under which every executor of
// every run registers its Prometheus endpoint, so that one Prometheus
// consul_sd_configs block finds them all (docs/operations.md).
const MetricsService = "drover-metrics"

// metricsService registers the executor's /metrics (served on the health
// port). It has no check of its own: the executor's main service has one,
// and Prometheus marks an unreachable target down anyway.
func metricsService(jobID string) *nomad.Service {
	return &nomad.Service{
		Name: MetricsService, PortLabel: "health", Provider: "consul",
		Tags: []string{"drover", "executor", "prometheus"},
		Meta: map[string]string{"metrics_path": "/metrics", "drover_role": "executor", "drover_job": jobID},
	}
}

func executorTask(cfg *Config, jobID string) *nomad.Task {
	t := nomad.NewTask("executor", cfg.Driver)
	t.User = cfg.User
	args := append([]string{"executor",
		"--listen", "${NOMAD_IP_rpc}:${NOMAD_PORT_rpc}",
		"--health", "${NOMAD_IP_health}:${NOMAD_PORT_health}",
		"--slots", strconv.Itoa(cfg.SlotsPerExecutor),
		"--name", "${NOMAD_ALLOC_ID}"}, cfg.ExtraArgs...)
	switch {
	case cfg.Image != "":
		// The docker driver maps the ports; the executor listens on all
		// interfaces inside the container.
		args[2], args[4] = "0.0.0.0:${NOMAD_PORT_rpc}", "0.0.0.0:${NOMAD_PORT_health}"
		t.Config = map[string]any{"image": cfg.Image, "command": "drover", "args": args, "ports": []string{"rpc", "health"}}
	case cfg.ArtifactURL != "":
		// An archive (tar.gz, zip) is unpacked into local/bin and keeps its
		// file modes; it must contain the drover binary at its top level.
		dest := "local/bin"
		t.Artifacts = []*nomad.TaskArtifact{{GetterSource: &cfg.ArtifactURL, RelativeDest: &dest, GetterMode: strPtr("any")}}
		t.Config = map[string]any{"command": "${NOMAD_TASK_DIR}/bin/drover", "args": args}
	default:
		t.Config = map[string]any{"command": cfg.Binary, "args": args}
	}
	// Secrets (S3 keys, the run's executor token) come from the job's own
	// Nomad variable, rendered into the task's secrets dir as env vars.
	t.Templates = []*nomad.Template{{
		EmbeddedTmpl: strPtr(`{{ with nomadVar "` + variablePath(jobID) + `" }}{{ range .Tuples }}{{ .K }}={{ .V | toJSON }}
{{ end }}{{ end }}`),
		DestPath: strPtr("secrets/executor.env"),
		Envvars:  boolPtr(true),
	}}
	t.Env = map[string]string{"CHECKPOINT_DISABLE": "1"}
	for k, v := range cfg.Env {
		t.Env[k] = v
	}
	cpu, mem := cfg.CPU, cfg.MemoryMB
	t.Resources = &nomad.Resources{CPU: &cpu, MemoryMB: &mem}
	kill := 5 * time.Second
	t.KillTimeout = &kill
	return t
}

func strPtr(s string) *string { return &s }

func boolPtr(b bool) *bool { return &b }

// variablePath is the Nomad variable holding a run's executor secrets;
// nomad/jobs/<job ID> is readable by that job's tasks and nothing else.
func variablePath(jobID string) string { return "nomad/jobs/" + jobID }
