package provision

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// terraformApply stands up terraform/local-docker from a working copy of
// terraform/ (so no state lands in the repository) on a free subnet.
func (e *e2e) terraformApply() {
	copyTree(e.t, filepath.Join(e.root, "terraform"), filepath.Join(e.work, "terraform"))
	subnet := e.freeSubnet()
	o := e.tfOpts("terraform-apply")
	// Variables in an auto-loaded file, so that destroy sees the same ones.
	// Four clients: one is killed with executors (run2), one with the
	// driver (run3), and two must be left for the rescheduled driver and
	// its executors.
	vars, _ := json.Marshal(map[string]any{"name": e.name, "image": e.image, "subnet": subnet, "client_count": clients,
		"secrets_dir": e.secrets, "labels": map[string]string{"drover.e2e.run": e.runID}})
	if err := os.WriteFile(filepath.Join(o.dir, "e2e.auto.tfvars.json"), vars, 0o644); err != nil {
		e.t.Fatal(err)
	}
	must(e.t, e.ctx, o, e.tool("terraform"), "init", "-input=false", "-no-color")
	e.applied = true // from here on, cleanup destroys
	must(e.t, e.ctx, o, e.tool("terraform"), "apply", "-auto-approve", "-input=false", "-no-color")
	raw := must(e.t, e.ctx, cmdOpts{dir: o.dir, env: o.env}, e.tool("terraform"), "output", "-json")
	var outs map[string]struct{ Value json.RawMessage }
	if err := json.Unmarshal([]byte(raw), &outs); err != nil {
		e.t.Fatalf("terraform output: %v\n%s", err, raw)
	}
	for key, dst := range map[string]any{"nomad_addr": &e.out.NomadAddr, "s3_endpoint": &e.out.S3Endpoint,
		"consul_http_addr": &e.out.ConsulAddr, "ca_file": &e.out.CAFile, "env": &e.out.Env, "containers": &e.out.Containers} {
		if err := json.Unmarshal(outs[key].Value, dst); err != nil {
			e.t.Fatalf("terraform output %s: %v", key, err)
		}
	}
	e.secret = strings.TrimSpace(must(e.t, e.ctx, cmdOpts{dir: o.dir, env: o.env}, e.tool("terraform"), "output", "-raw", "s3_secret_key"))
	if len(e.out.Containers.Clients) != clients {
		e.t.Fatalf("want %d client nodes, terraform made %v", clients, e.out.Containers.Clients)
	}
	e.t.Logf("   Nomad %s, MinIO %s on %s", e.out.NomadAddr, e.out.S3Endpoint, subnet)
	e.waitNodesReady(clients)
}

// clients is the number of Nomad client nodes the test's cluster has.
const clients = 4

// tfOpts runs Terraform in the working copy with the MinIO root password
// as a TF_VAR (never on a command line).
func (e *e2e) tfOpts(step string) cmdOpts {
	o := e.opts(step)
	o.dir = filepath.Join(e.work, "terraform", "local-docker")
	o.env = append(append([]string{}, o.env...), "TF_VAR_minio_root_password="+e.rootPW)
	return o
}

// freeSubnet picks a 10.213.x.0/24 no Docker network uses yet.
func (e *e2e) freeSubnet() string {
	ids := strings.Fields(must(e.t, e.ctx, cmdOpts{}, "docker", "network", "ls", "-q"))
	used := ""
	if len(ids) > 0 {
		used = must(e.t, e.ctx, cmdOpts{}, "docker", append([]string{"network", "inspect", "--format", "{{range .IPAM.Config}}{{.Subnet}} {{end}}"}, ids...)...)
	}
	var seed int
	for _, r := range e.runID {
		seed = seed*31 + int(r)
	}
	for i := range 200 {
		subnet := fmt.Sprintf("10.213.%d.0/24", 20+(seed+i)%200)
		if !strings.Contains(used, subnet) {
			return subnet
		}
	}
	e.t.Fatal("no free 10.213.x.0/24 subnet")
	return ""
}

// terraformDestroy tears the cluster down (the test's last real step).
func (e *e2e) terraformDestroy() {
	e.collectAllocs()
	must(e.t, e.ctx, e.tfOpts("terraform-destroy"), e.tool("terraform"), "destroy", "-auto-approve", "-input=false", "-no-color")
	e.gone = true
}

// checkNothingLeft fails when a container, network or volume of the run
// (by label or by name) survived terraform destroy.
func (e *e2e) checkNothingLeft() {
	var left []string
	for _, kind := range []string{"container", "network", "volume"} {
		for _, filter := range []string{"label=" + e.label, "name=" + e.name} {
			args := []string{kind, "ls", "-q", "--filter", filter}
			if kind == "container" {
				args = []string{"ps", "-aq", "--filter", filter}
			}
			out := strings.TrimSpace(must(e.t, e.ctx, cmdOpts{}, "docker", args...))
			if out != "" {
				left = append(left, fmt.Sprintf("%s (%s): %s", kind, filter, strings.Join(strings.Fields(out), " ")))
			}
		}
	}
	if len(left) > 0 {
		e.t.Fatalf("left behind after terraform destroy:\n  %s", strings.Join(left, "\n  "))
	}
}

// cleanup runs whatever happened: terraform destroy if the cluster may
// exist, then removal of anything labeled with the run (containers,
// networks, volumes, the node image), and of the cgroups the run's
// allocations left in the host's tree.
func (e *e2e) cleanup() {
	ctx, cancel := contextWithTimeout(5 * time.Minute)
	defer cancel()
	if e.applied && !e.gone {
		e.collectAllocs()
		o := e.tfOpts("terraform-destroy")
		if out, err := run(ctx, o, e.tool("terraform"), "destroy", "-auto-approve", "-input=false", "-no-color"); err != nil {
			e.t.Logf("cleanup: %v\n%s", err, tail(out, 20))
		}
	}
	sweep(ctx, e.label, e.image)
	removed, busy := sweepCgroups(e.allocs)
	e.t.Logf("cleanup: %d allocations' cgroups removed from the host's tree, %d still in use", removed, busy)
}
