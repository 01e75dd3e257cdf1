package udfhost

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"

	"github.com/drover-etl/drover/udf"
)

// proc is one plugin: its verified binary and its current process, which
// it (re)starts on demand.
type proc struct {
	name   string
	path   string   // the local binary
	source string   // as declared, for messages
	sum    []byte   // sha256 of the binary, checked before every start
	env    []string // the variables it may see (Spec.Env)
	cfg    *Config
	log    *syncWriter

	mu     sync.Mutex
	cur    *instance
	starts int
}

// instance is one process of a plugin.
type instance struct {
	client *plugin.Client
	remote *udf.Client
	tail   *tail
	n      int // 1 for the first start, 2 after one restart, ...
}

func (p *proc) digest() string { return hex.EncodeToString(p.sum) }

// get returns the running process, starting one if there is none (at
// first use, or after a crash).
func (p *proc) get(ctx context.Context) (*instance, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cur != nil && !p.cur.client.Exited() {
		return p.cur, nil
	}
	if p.cur != nil {
		p.cur.close()
		p.cur = nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p.starts++
	if p.starts > 1 {
		p.log.printf("plugin %s: starting again (start #%d)\n", p.name, p.starts)
	}
	inst, err := p.start()
	if err != nil {
		return nil, err
	}
	p.cur = inst
	return inst, nil
}

func (p *proc) start() (*instance, error) {
	t := newTail(tailLines)
	stderr := newLineWriter(func(line string) {
		t.add(line)
		p.log.printf("plugin %s: %s\n", p.name, line)
	})
	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  udf.Handshake,
		VersionedPlugins: udf.ClientPlugins(),
		Cmd:              p.command(),
		SkipHostEnv:      true, // the environment is command's, no more
		SecureConfig:     &plugin.SecureConfig{Checksum: p.sum, Hash: sha256.New()},
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		StartTimeout:     p.startTimeout(),
		Stderr:           stderr,
		SyncStderr:       stderr,
		SyncStdout:       stderr,
		GRPCDialOptions:  udf.DialOptions(),
		Logger: hclog.New(&hclog.LoggerOptions{
			Name: "plugin." + p.name, Level: hclog.Warn, Output: logOutput(p.log),
		}),
	})
	rpc, err := client.Client()
	if err != nil {
		client.Kill()
		return nil, fmt.Errorf("%w: %q (%s): %w%s", ErrStart, p.name, p.source, err, t.quote())
	}
	raw, err := rpc.Dispense(udf.PluginName)
	if err != nil {
		client.Kill()
		return nil, fmt.Errorf("%w: %q (%s): %w%s", ErrStart, p.name, p.source, err, t.quote())
	}
	return &instance{client: client, remote: raw.(*udf.Client), tail: t, n: p.starts}, nil
}

func (p *proc) startTimeout() time.Duration {
	if p.cfg.StartTimeout > 0 {
		return p.cfg.StartTimeout
	}
	return 30 * time.Second
}

// retire drops inst after it died: the next call starts a new process.
func (p *proc) retire(inst *instance) {
	p.mu.Lock()
	if p.cur == inst {
		p.cur = nil
	}
	p.mu.Unlock()
	inst.close()
}

// kill ends a hung process at once (go-plugin's Kill would first wait
// two seconds for a graceful exit that a stuck plugin never makes).
func (p *proc) kill(inst *instance) {
	if rc := inst.client.ReattachConfig(); rc != nil && rc.Pid > 0 {
		if pr, err := os.FindProcess(rc.Pid); err == nil {
			pr.Kill()
		}
	}
	p.retire(inst)
}

func (p *proc) stop() {
	p.mu.Lock()
	inst := p.cur
	p.cur = nil
	p.mu.Unlock()
	if inst != nil {
		inst.close()
	}
}

func (i *instance) close() {
	i.remote.Close()
	i.client.Kill()
}

// exited waits up to d for the process to be gone. A crash shows first as
// a broken connection; go-plugin marks the exit once it has read all of
// the process's stderr, so afterwards the tail is complete.
func (i *instance) exited(d time.Duration) bool {
	deadline := time.Now().Add(d)
	for {
		if i.client.Exited() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
}
