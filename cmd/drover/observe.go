package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/drover-etl/drover/driver"
	"github.com/drover-etl/drover/engine"
	"github.com/drover-etl/drover/eventlog"
	"github.com/drover-etl/drover/webui"
)

// defaultUIAddr is where the driver's UI listens unless told otherwise;
// when it is taken (another driver on this host), the next ports are
// tried, as Spark does from 4040.
const defaultUIAddr = "127.0.0.1:4040"

// obsFlags choose where a run's events go: the event log and the UI.
type obsFlags struct {
	eventLogDir string
	uiAddr      string
}

func (f *obsFlags) register(cmd *cobra.Command, dirDefault string) {
	cmd.Flags().StringVar(&f.eventLogDir, "event-log-dir", os.Getenv("DROVER_EVENT_LOG_DIR"),
		"directory or s3:// prefix for run event logs, one sub-directory per run; \"off\" for none (default "+dirDefault+"; env DROVER_EVENT_LOG_DIR)")
	cmd.Flags().StringVar(&f.uiAddr, "ui-addr", defaultUIAddr, "address of the run's web UI; \"off\" for none")
}

// localEventLogDir is the default event log directory of local runs.
func localEventLogDir() string {
	if d := os.Getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "drover", "events")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "state", "drover", "events")
	}
	return filepath.Join(os.TempDir(), "drover-events")
}

// clusterEventLogDir puts event logs beside the shuffle directory:
// s3://b/x/shuffle → s3://b/x/events; a bucket root gets <root>/_events.
func clusterEventLogDir(shuffleDir string) string {
	d := strings.TrimSuffix(shuffleDir, "/")
	scheme, root, key := splitURL(d)
	if i := strings.LastIndex(key, "/"); i >= 0 {
		return scheme + root + "/" + key[:i] + "/events"
	}
	if key != "" {
		return scheme + root + "/events"
	}
	return d + "/_events"
}

func splitURL(u string) (scheme, root, key string) {
	if i := strings.Index(u, "://"); i > 0 {
		rest := u[i+3:]
		root, key, _ = strings.Cut(rest, "/")
		return u[:i+3], root, key
	}
	return "", filepath.Dir(u), filepath.Base(u)
}

// observation is one run's event log writer and live UI.
type observation struct {
	rec    *eventlog.Recorder
	log    *eventlog.Writer
	stopUI context.CancelFunc
	errOut io.Writer
}

// observe starts the event log and the UI of a run and records its start.
func observe(ctx context.Context, cmd *cobra.Command, f obsFlags, dirDefault string, c *engine.Compiled, info eventlog.RunInfo, next driver.Progress) (*observation, error) {
	o := &observation{errOut: cmd.ErrOrStderr(), stopUI: func() {}}
	var emit []func(eventlog.Event)
	dir := f.eventLogDir
	if dir == "" {
		dir = dirDefault
	}
	if dir != "off" {
		w, err := eventlog.Create(ctx, dir, info.ID, func(err error) { fmt.Fprintf(o.errOut, "drover: warning: %v\n", err) })
		if err != nil {
			return nil, fmt.Errorf("--event-log-dir: %w", err)
		}
		o.log = w
		emit = append(emit, w.Emit)
		fmt.Fprintf(o.errOut, "event log: %s\n", w.URL())
	}
	ln, err := o.listen(f.uiAddr)
	if err != nil {
		o.closeLog(ctx)
		return nil, fmt.Errorf("--ui-addr: %w", err)
	}
	if ln != nil {
		live := &webui.Live{}
		uiCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		o.stopUI = cancel
		webui.Serve(uiCtx, ln, webui.New(live, 500*time.Millisecond))
		emit = append(emit, live.Emit)
		info.UIAddr = ln.Addr().String()
		fmt.Fprintf(o.errOut, "web UI: http://%s/runs/%s\n", info.UIAddr, info.ID)
	}
	info.Plans, info.Stages = c.Explain(), eventlog.Stages(c.Stages)
	o.rec = eventlog.NewRecorder(next, emit...)
	o.rec.Start(info)
	return o, nil
}

// listen binds the UI's address: nil for "off", or when the default
// port and the 16 after it are all taken (many drivers on one host: the
// run matters more than its UI, so that is a warning, not an error).
func (o *observation) listen(addr string) (net.Listener, error) {
	if addr == "off" {
		return nil, nil
	}
	ln, err := listenUI(addr)
	if err != nil && addr == defaultUIAddr {
		fmt.Fprintf(o.errOut, "drover: warning: no web UI: %v\n", err)
		return nil, nil
	}
	return ln, err
}

// listenUI binds addr; when the default port is taken, up to 16 next
// ports are tried.
func listenUI(addr string) (net.Listener, error) {
	ln, err := webui.Listen(addr)
	if err == nil || addr != defaultUIAddr || !errors.Is(err, syscall.EADDRINUSE) {
		return ln, err
	}
	host, port, _ := net.SplitHostPort(addr)
	p, _ := strconv.Atoi(port)
	for i := 1; i <= 16; i++ {
		if ln, err2 := webui.Listen(net.JoinHostPort(host, strconv.Itoa(p+i))); err2 == nil {
			return ln, nil
		}
	}
	return nil, err
}

// finish records the run's end, writes the rest of the log and stops the
// UI.
func (o *observation) finish(ctx context.Context, runErr error) {
	o.rec.End(runErr)
	o.closeLog(ctx)
	o.stopUI()
}

func (o *observation) closeLog(ctx context.Context) {
	if o.log == nil {
		return
	}
	if err := o.log.Close(context.WithoutCancel(ctx)); err != nil {
		fmt.Fprintf(o.errOut, "drover: warning: %v\n", err)
	}
}

// readJobSpec is the job file's text for the event log ("" if unreadable:
// the log still has every plan).
func readJobSpec(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return string(b)
}
