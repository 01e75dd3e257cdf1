package udfhost

import (
	"os"
	"os/exec"

	"github.com/drover-etl/drover/jobspec"
)

// baseEnv is what every plugin gets: enough to find programs, write
// temporary files and format dates, nothing that grants access.
var baseEnv = []string{"PATH", "TMPDIR", "TZ", "LANG", "LC_ALL"}

// command is the plugin's process with an explicit environment: baseEnv
// and the names its block lists in env, with this process's values. The
// engine's credentials are never among them (jobspec refuses to list
// them; this filter holds for specs that did not come from a job file).
func (p *proc) command() *exec.Cmd {
	cmd := exec.Command(p.path)
	cmd.Env = pluginEnv(p.env, os.LookupEnv)
	return cmd
}

func pluginEnv(declared []string, lookup func(string) (string, bool)) []string {
	env := []string{}
	seen := map[string]bool{}
	for _, k := range append(append([]string{}, baseEnv...), declared...) {
		if seen[k] || jobspec.ForbiddenPluginEnv(k) {
			continue
		}
		seen[k] = true
		if v, ok := lookup(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}
