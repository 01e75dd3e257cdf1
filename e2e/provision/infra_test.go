package provision

import (
	"context"
	"encoding/json"
	"github.com/drover-etl/drover/internal/e2eutil"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/drover-etl/drover/internal/testutil"
)

// skipShort skips tests that need the pinned tools (built by make tools)
// in -short runs.
func skipShort(t *testing.T) {
	if testing.Short() {
		t.Skip("needs the pinned tools (make tools)")
	}
}

func toolOpts(t *testing.T, dir string) cmdOpts {
	return cmdOpts{dir: dir, env: testutil.ToolEnv(t)}
}

// TestTerraformFormattedAndValid checks every Terraform file with
// `terraform fmt`, and validates terraform/local-docker with the locally
// built providers. terraform/aws is fmt-checked only: the AWS provider
// cannot be built here (see terraform/aws/README.md).
func TestTerraformFormattedAndValid(t *testing.T) {
	skipShort(t)
	root := e2eutil.RepoRoot(t)
	tf := testutil.Tool(t, "terraform")
	ctx := context.Background()
	must(t, ctx, toolOpts(t, root), tf, "fmt", "-check", "-recursive", "-diff", "terraform")

	work := t.TempDir()
	copyTree(t, filepath.Join(root, "terraform"), work)
	dir := filepath.Join(work, "local-docker")
	must(t, ctx, toolOpts(t, dir), tf, "init", "-backend=false", "-input=false", "-no-color")
	must(t, ctx, toolOpts(t, dir), tf, "validate", "-no-color")

	// A variable's validation refuses bad input at plan time.
	o := toolOpts(t, dir)
	o.env = append(o.env, "TF_VAR_minio_root_password=short")
	out, err := run(ctx, o, tf, "plan", "-input=false", "-no-color", "-var", "client_count=0", "-var", "secrets_dir="+t.TempDir())
	if err == nil || !strings.Contains(out, "client_count must be between 1 and 16") || !strings.Contains(out, "at least 8 characters") ||
		!strings.Contains(out, "cluster-secrets.sh on it first") {
		t.Fatalf("plan with bad variables: err %v\n%s", err, tail(out, 30))
	}
}

// TestNodeConfigRendersValidAgentConfigs renders the user data of the
// node-config module (both roles, AWS cloud auto-join) from secrets made by
// scripts/cluster-secrets.sh, feeds its settings and the role's secrets
// to the image's render-config and checks the agent configs it writes
// with `consul validate` and `nomad config validate`: ACLs, TLS and gossip
// encryption on, raw_exec off, and no secret a role should not hold.
func TestNodeConfigRendersValidAgentConfigs(t *testing.T) {
	skipShort(t)
	root := e2eutil.RepoRoot(t)
	tf := testutil.Tool(t, "terraform")
	nomadBin, consulBin := testutil.Tool(t, "nomad"), testutil.Tool(t, "consul")
	ctx := context.Background()
	work := t.TempDir()
	secrets := filepath.Join(work, "secrets")
	must(t, ctx, cmdOpts{env: []string{"CONSUL=" + consulBin, "NOMAD=" + nomadBin}},
		filepath.Join(root, "scripts", "cluster-secrets.sh"), secrets, "eu1")
	module := filepath.Join(root, "terraform", "modules", "node-config")
	os.WriteFile(filepath.Join(work, "main.tf"), []byte(`
locals {
  secrets = { for f in fileset("`+secrets+`", "*") : f => file("`+secrets+`/${f}") }
}
module "server" {
  source       = "`+module+`"
  role         = "server"
  join         = ["provider=aws tag_key=drover-cluster tag_value=test"]
  server_count = 3
  cloud        = "aws"
  datacenter   = "eu1"
  secrets      = local.secrets
}
module "client" {
  source         = "`+module+`"
  role           = "client"
  join           = ["10.0.1.10", "10.0.1.11"]
  advertise_addr = "10.0.1.20"
  datacenter     = "eu1"
  secrets        = local.secrets
}
output "server" {
  value     = module.server
  sensitive = true
}
output "client" {
  value     = module.client
  sensitive = true
}
`), 0o644)
	must(t, ctx, toolOpts(t, work), tf, "init", "-input=false", "-no-color")
	must(t, ctx, toolOpts(t, work), tf, "apply", "-auto-approve", "-input=false", "-no-color")
	raw := must(t, ctx, toolOpts(t, work), tf, "output", "-json")
	var outs map[string]struct {
		Value struct {
			Env         map[string]string `json:"env"`
			UserData    string            `json:"user_data"`
			SecretFiles map[string]string `json:"secret_files"`
		}
	}
	if err := json.Unmarshal([]byte(raw), &outs); err != nil {
		t.Fatal(err)
	}
	renderer := filepath.Join(root, "packer", "drover-node", "files", "render-config")
	for _, role := range []string{"server", "client"} {
		o := outs[role].Value
		if !strings.Contains(o.UserData, "/etc/drover/node.env") || !strings.Contains(o.UserData, `DROVER_ROLE="`+role+`"`) {
			t.Fatalf("%s user data:\n%s", role, o.UserData)
		}
		checkRoleSecrets(t, role, o.SecretFiles, o.UserData)
		dir := filepath.Join(work, role)
		roleSecrets := filepath.Join(dir, "secrets")
		os.MkdirAll(roleSecrets, 0o700)
		for name, content := range o.SecretFiles {
			os.WriteFile(filepath.Join(roleSecrets, name), []byte(content), 0o600)
		}
		env := []string{"DROVER_CONFIG_ROOT=" + dir, "DROVER_SECRETS_DIR=" + roleSecrets}
		for k, v := range o.Env {
			env = append(env, k+"="+v)
		}
		must(t, ctx, cmdOpts{env: env}, renderer)
		agent := filepath.Join(dir, "var", "lib", "drover", "agent")
		must(t, ctx, cmdOpts{}, consulBin, "validate", filepath.Join(dir, "etc", "consul.d"), filepath.Join(agent, "consul.hcl"))
		must(t, ctx, cmdOpts{}, nomadBin, "config", "validate", filepath.Join(dir, "etc", "nomad.d"), filepath.Join(agent, "nomad.hcl"))
		nomadHCL, _ := os.ReadFile(filepath.Join(dir, "etc", "nomad.d", "nomad.hcl"))
		consulHCL, _ := os.ReadFile(filepath.Join(dir, "etc", "consul.d", "consul.hcl"))
		nomadSecret, _ := os.ReadFile(filepath.Join(agent, "nomad.hcl"))
		consulSecret, _ := os.ReadFile(filepath.Join(agent, "consul.hcl"))
		want := map[string]string{"server": `bootstrap_expect = 3`, "client": `datacenter           = "eu1"`}[role]
		for file, wants := range map[string][]string{
			"nomad.hcl":        {want, "http                   = true", "rpc                    = true", "verify_server_hostname = true"},
			"consul.hcl":       {`http = "127.0.0.1"`, "verify_incoming = true", "verify_server_hostname = true"},
			"agent/nomad.hcl":  {"enabled = true", "token = "},
			"agent/consul.hcl": {`default_policy           = "deny"`, "encrypt = ", "agent = "},
		} {
			text := map[string][]byte{"nomad.hcl": nomadHCL, "consul.hcl": consulHCL, "agent/nomad.hcl": nomadSecret, "agent/consul.hcl": consulSecret}[file]
			for _, w := range wants {
				if !strings.Contains(string(text), w) {
					t.Errorf("%s %s lacks %q:\n%s", role, file, w, text)
				}
			}
		}
		if role == "client" && !strings.Contains(string(nomadHCL), "enabled = false") {
			t.Errorf("client nomad.hcl: raw_exec must be off by default:\n%s", nomadHCL)
		}
		if role == "server" && !strings.Contains(string(nomadSecret), "encrypt = ") {
			t.Errorf("server agent/nomad.hcl lacks gossip encryption:\n%s", nomadSecret)
		}
	}
}

// TestPackerTemplateFormattedAndValid checks the node template with
// `packer fmt` and validates both sources (docker and amazon-ebs) with the
// locally built plugins; nothing is contacted.
func TestPackerTemplateFormattedAndValid(t *testing.T) {
	skipShort(t)
	root := e2eutil.RepoRoot(t)
	packer := testutil.Tool(t, "packer")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	must(t, ctx, toolOpts(t, root), packer, "fmt", "-check", "-recursive", "packer")
	artifacts := t.TempDir()
	os.MkdirAll(filepath.Join(artifacts, "bin"), 0o755)
	must(t, ctx, toolOpts(t, root), packer, "validate", "-var", "artifacts_dir="+artifacts, "packer/drover-node")
	out, err := run(ctx, toolOpts(t, root), packer, "validate", "-var", "artifacts_dir="+artifacts, "-var", "ami_name_prefix=no spaces", "packer/drover-node")
	if err == nil || !strings.Contains(out, "AMI name prefix") {
		t.Fatalf("an invalid ami_name_prefix passed validation: %v\n%s", err, out)
	}
}

// copyTree copies a directory without Terraform's local state.
func copyTree(t testing.TB, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		name := d.Name()
		if name == ".terraform" || name == ".terraform.lock.hcl" || strings.HasPrefix(name, "terraform.tfstate") || strings.HasSuffix(name, ".tfvars") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatalf("copy %s: %v", src, err)
	}
}

// checkRoleSecrets fails when a role's nodes would get a secret they must
// not hold (the CA key anywhere, a server key or a management token on a
// client) or lack one they need, or when the user data does not carry them.
func checkRoleSecrets(t *testing.T, role string, files map[string]string, userData string) {
	t.Helper()
	never := map[string][]string{
		"server": {"ca-key.pem", "consul-client-key.pem", "nomad-client-key.pem"},
		"client": {"ca-key.pem", "consul-server-key.pem", "nomad-server-key.pem", "consul-management.token", "nomad-bootstrap.token", "drover-consul.token"},
	}[role]
	for _, name := range never {
		if _, ok := files[name]; ok {
			t.Errorf("%s nodes get %s", role, name)
		}
	}
	for _, name := range []string{"ca.pem", "nomad-" + role + "-key.pem", "consul-" + role + "-key.pem", "consul-gossip.key", "consul-agent.token"} {
		if files[name] == "" {
			t.Errorf("%s nodes lack %s", role, name)
		}
		if !strings.Contains(userData, "/var/lib/drover/secrets/"+name) {
			t.Errorf("%s user data does not write %s", role, name)
		}
	}
}
