package webui

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"strconv"
	"time"
)

//go:embed templates/*.html
var templateFS embed.FS

// PageSize is how many tasks a stage page lists at once.
const PageSize = 100

// Server serves the UI pages of one Source.
type Server struct {
	src   Source
	poll  time.Duration
	pages map[string]*template.Template
	mux   *http.ServeMux
}

// New serves src. poll is how often the event stream checks for news (a
// live source is cheap to ask; a history source re-reads its log).
func New(src Source, poll time.Duration) *Server {
	s := &Server{src: src, poll: poll, pages: map[string]*template.Template{}, mux: http.NewServeMux()}
	for _, p := range []string{"runs", "run", "stage", "plan", "error"} {
		s.pages[p] = template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS,
			"templates/layout.html", "templates/ops.html", "templates/"+p+".html"))
	}
	s.mux.HandleFunc("GET /{$}", s.runs)
	s.mux.HandleFunc("GET /runs/{run}", s.run)
	s.mux.HandleFunc("GET /runs/{run}/stages/{stage}", s.stage)
	s.mux.HandleFunc("GET /runs/{run}/plan", s.plan)
	s.mux.HandleFunc("GET /runs/{run}/events", s.events)
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Listen binds addr; ":0" ports pick a free one. The returned address is
// the one bound.
func Listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("ui: listen on %s: %w", addr, err)
	}
	return ln, nil
}

// Serve serves h on ln until ctx ends.
func Serve(ctx context.Context, ln net.Listener, h http.Handler) {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	go srv.Serve(ln)
}

// state is what the event stream watches: the run's last event and
// whether it is over. A live source answers from memory; others rebuild.
func (s *Server) state(ctx context.Context, id string) (seq int64, ended, ok bool) {
	if l, isLive := s.src.(*Live); isLive {
		return l.state(id)
	}
	run, err := s.src.Run(ctx, id)
	if err != nil {
		return 0, false, false
	}
	return run.Seq, run.Status != StateRunning, true
}

func (s *Server) render(w http.ResponseWriter, page string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := s.pages[page].Execute(w, data); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

func (s *Server) fail(w http.ResponseWriter, err error) {
	code := http.StatusInternalServerError
	if errors.Is(err, ErrNoRun) {
		code = http.StatusNotFound
	}
	w.WriteHeader(code)
	s.render(w, "error", map[string]any{"Title": "Error", "Error": err.Error()})
}

func (s *Server) runs(w http.ResponseWriter, r *http.Request) {
	runs, err := s.src.Runs(r.Context())
	if err != nil {
		s.fail(w, err)
		return
	}
	s.render(w, "runs", map[string]any{"Title": "Runs", "Runs": runs, "Now": time.Now()})
}

func (s *Server) load(w http.ResponseWriter, r *http.Request) *Run {
	run, err := s.src.Run(r.Context(), r.PathValue("run"))
	if err != nil {
		s.fail(w, err)
		return nil
	}
	return run
}

func (s *Server) run(w http.ResponseWriter, r *http.Request) {
	run := s.load(w, r)
	if run == nil {
		return
	}
	var ms []map[string]int64
	for _, st := range run.Stages {
		ms = append(ms, st.Metrics)
	}
	s.render(w, "run", map[string]any{"Title": "Run " + run.ID, "Run": run, "DAG": layout(run.Stages).svg(run.ID),
		"Metrics": metricNames(ms...), "Now": time.Now()})
}

func (s *Server) stage(w http.ResponseWriter, r *http.Request) {
	run := s.load(w, r)
	if run == nil {
		return
	}
	id, err := strconv.Atoi(r.PathValue("stage"))
	st := run.stage(id)
	if err != nil || st == nil {
		s.fail(w, fmt.Errorf("%w: run %s has no stage %q", ErrNoRun, run.ID, r.PathValue("stage")))
		return
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	s.render(w, "stage", stagePage(run, st, r.URL.Query().Get("status"), page))
}

func (s *Server) plan(w http.ResponseWriter, r *http.Request) {
	run := s.load(w, r)
	if run == nil {
		return
	}
	s.render(w, "plan", map[string]any{"Title": "Plan of " + run.ID, "Run": run})
}

// events is the server-sent event stream of one run: "update" whenever
// its state changed, "end" once it finished.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	id := r.PathValue("run")
	// The page says which state it shows; a change since then is sent at
	// once (without it, the first state seen is taken as the page's).
	var last int64 = -1
	if v, err := strconv.ParseInt(r.URL.Query().Get("seq"), 10, 64); err == nil && v >= 0 {
		last = v
	}
	t := time.NewTicker(s.poll)
	defer t.Stop()
	for {
		seq, ended, ok := s.state(r.Context(), id)
		if ok && seq != last {
			if last >= 0 {
				fmt.Fprintf(w, "event: update\ndata: %d\n\n", seq)
			}
			last = seq
		}
		if ok && ended {
			fmt.Fprintf(w, "event: end\ndata: %d\n\n", seq)
			fl.Flush()
			return
		}
		fl.Flush()
		select {
		case <-r.Context().Done():
			return
		case <-t.C:
		}
	}
}
