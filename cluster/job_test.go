package cluster

import "testing"

// The executor job is a batch job, so an executor that exits 0 (its
// lease on a vanished driver expired, or the driver shut it down) is not
// started again, while failed ones are still rescheduled; its meta lets
// `drover gc` match it to its run.
func TestExecutorJobEndsWithItsExecutors(t *testing.T) {
	cfg := &Config{Executors: 3, SlotsPerExecutor: 2, CPU: 100, MemoryMB: 128, Driver: "raw_exec", Binary: "/bin/drover", ShuffleDir: "s3://b/shuffle"}
	job := executorJob(cfg, "drover-j-r-executors", "drover-j-r", "r")
	if *job.Type != "batch" {
		t.Errorf("job type %q, want batch", *job.Type)
	}
	for k, want := range map[string]string{MetaRun: "r", MetaShuffleDir: "s3://b/shuffle", MetaService: "drover-j-r"} {
		if job.Meta[k] != want {
			t.Errorf("meta %s = %q, want %q", k, job.Meta[k], want)
		}
	}
	tg := job.TaskGroups[0]
	if rp := tg.ReschedulePolicy; rp == nil || rp.Unlimited == nil || !*rp.Unlimited {
		t.Errorf("reschedule policy %+v: failed executors must keep being replaced", rp)
	}
	var names []string
	for _, sv := range tg.Services {
		names = append(names, sv.Name)
	}
	if len(names) != 2 || names[0] != "drover-j-r" || names[1] != "drover-metrics" {
		t.Errorf("services %v, want the run's service and drover-metrics", names)
	}
}

// On a hardened cluster the executors run isolated as an unprivileged
// user: the driver and user given are the executor task's.
func TestExecutorTaskRunsAsTheGivenUser(t *testing.T) {
	for _, tc := range []struct{ driver, user string }{
		{"exec", "drover"},
		{"raw_exec", ""},
	} {
		cfg := &Config{Executors: 1, Driver: tc.driver, User: tc.user, Binary: "/usr/local/bin/drover"}
		task := executorJob(cfg, "drover-j-r-executors", "drover-j-r", "r").TaskGroups[0].Tasks[0]
		if task.Driver != tc.driver || task.User != tc.user {
			t.Errorf("driver %q user %q: task has driver %q user %q", tc.driver, tc.user, task.Driver, task.User)
		}
	}
}

// A service name stays a DNS label however long the job name and run ID
// (a dispatched job's run ID is), and distinct runs keep distinct names.
func TestServiceNameFitsADNSLabel(t *testing.T) {
	long := "drover-dispatch/dispatch-1796642406-d5b4e6c5"
	a, b := ServiceName("daily_orders", long), ServiceName("daily_orders", long+"x")
	if len(a) > 63 || len(b) > 63 || a == b {
		t.Fatalf("service names %q (%d), %q (%d)", a, len(a), b, len(b))
	}
	if got := ServiceName("j", "r"); got != "drover-j-r" {
		t.Fatalf("a short name changed: %q", got)
	}
}
