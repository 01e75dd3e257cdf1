package progress

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
	"golang.org/x/term"

	"github.com/drover-etl/drover/driver"
	"github.com/drover-etl/drover/task"
)

// New returns bars on a terminal and log lines otherwise (including a
// terminal that reports no width, where bars would render as nothing).
func New(w io.Writer) driver.Progress {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		if width, _, err := term.GetSize(int(f.Fd())); err == nil && width > 0 {
			return newBars(w)
		}
	}
	return &lines{w: w, start: time.Now()}
}

// lines logs one line per stage event.
type lines struct {
	mu    sync.Mutex
	w     io.Writer
	start time.Time
}

var (
	_ driver.SpeculationProgress = (*lines)(nil)
	_ driver.SpeculationProgress = (*bars)(nil)
	_ driver.ResumeProgress      = (*lines)(nil)
	_ driver.ResumeProgress      = (*bars)(nil)
)

func (l *lines) printf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, "[%6.2fs] "+format+"\n", append([]any{time.Since(l.start).Seconds()}, args...)...)
}

func (l *lines) StageStarted(stage, tasks int, desc string) {
	l.printf("stage %d started: %d tasks (%s)", stage, tasks, desc)
}
func (l *lines) TaskDone(int, task.Metrics) {}
func (l *lines) TaskRetry(id task.ID, err error) {
	l.printf("task %s failed, retrying: %v", id, err)
}
func (l *lines) Recompute(stage, part int, err error) {
	l.printf("shuffle output of task %d.%d lost, recomputing: %v", stage, part, err)
}
func (l *lines) StageDone(stage int, m task.Metrics, wall time.Duration) {
	s3 := ""
	if n := m.S3.Requests(); n > 0 {
		s3 = fmt.Sprintf(", %d S3 requests", n)
	}
	l.printf("stage %d done in %s: %d rows in, %d rows out, %s written%s", stage, wall.Round(time.Millisecond), m.RowsIn, m.RowsOut, Bytes(m.BytesWritten), s3)
}

func (l *lines) TaskSpeculated(copy, of task.ID, elapsed, threshold time.Duration) {
	l.printf("%s", speculatedLine(copy, of, elapsed, threshold))
}
func (l *lines) SpeculationDecided(winner, loser task.ID) {
	l.printf("%s", decidedLine(winner, loser))
}

func (l *lines) TasksReused(stage int, results []*task.Result) {
	l.printf("%s", reusedLine(stage, results))
}

func reusedLine(stage int, results []*task.Result) string {
	return fmt.Sprintf("stage %d: %d tasks done, reused from the journal (finished by an earlier driver of this run)", stage, len(results))
}

func speculatedLine(copy, of task.ID, elapsed, threshold time.Duration) string {
	return fmt.Sprintf("task %s is slow (running %s, stage threshold %s): speculative copy %s launched",
		of, elapsed.Round(time.Millisecond), threshold.Round(time.Millisecond), copy)
}

func decidedLine(winner, loser task.ID) string {
	return fmt.Sprintf("task %s finished first; attempt %s cancelled", winner, loser)
}

// bars draws one progress bar per stage.
type bars struct {
	p    *mpb.Progress
	mu   sync.Mutex
	bars map[int]*mpb.Bar
	w    io.Writer
}

func newBars(w io.Writer) *bars {
	return &bars{p: mpb.New(mpb.WithOutput(w), mpb.WithWidth(40)), bars: map[int]*mpb.Bar{}, w: w}
}

func (b *bars) StageStarted(stage, tasks int, desc string) {
	bar := b.p.AddBar(int64(tasks),
		mpb.PrependDecorators(decor.Name(fmt.Sprintf("stage %-2d %-24.24s", stage, desc)), decor.CountersNoUnit(" %d/%d")),
		mpb.AppendDecorators(decor.Elapsed(decor.ET_STYLE_GO), decor.Name(" "), decor.Percentage()))
	b.mu.Lock()
	b.bars[stage] = bar
	b.mu.Unlock()
}

func (b *bars) bar(stage int) *mpb.Bar {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.bars[stage]
}

func (b *bars) TaskDone(stage int, _ task.Metrics) {
	if bar := b.bar(stage); bar != nil {
		bar.Increment()
	}
}

func (b *bars) TasksReused(stage int, results []*task.Result) {
	if bar := b.bar(stage); bar != nil {
		bar.IncrBy(len(results))
	}
	fmt.Fprintln(b.p, reusedLine(stage, results))
}

func (b *bars) TaskRetry(id task.ID, err error) {
	fmt.Fprintf(b.p, "task %s failed, retrying: %v\n", id, err)
}

func (b *bars) Recompute(stage, part int, err error) {
	fmt.Fprintf(b.p, "shuffle output of task %d.%d lost, recomputing\n", stage, part)
}

func (b *bars) TaskSpeculated(copy, of task.ID, elapsed, threshold time.Duration) {
	fmt.Fprintln(b.p, speculatedLine(copy, of, elapsed, threshold))
}

func (b *bars) SpeculationDecided(winner, loser task.ID) {
	fmt.Fprintln(b.p, decidedLine(winner, loser))
}

func (b *bars) StageDone(stage int, _ task.Metrics, _ time.Duration) {
	if bar := b.bar(stage); bar != nil {
		bar.SetTotal(-1, true)
	}
}

// Wait flushes the bars (call before printing anything else).
func Wait(p driver.Progress) {
	if b, ok := p.(*bars); ok {
		b.mu.Lock()
		for _, bar := range b.bars {
			if !bar.Completed() {
				bar.Abort(false)
			}
		}
		b.mu.Unlock()
		b.p.Wait()
	}
}
