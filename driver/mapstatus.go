package driver

import (
	"context"
	"fmt"
	"sync"

	"github.com/drover-etl/drover/mapstatus"
	"github.com/drover-etl/drover/stage"
	"github.com/drover-etl/drover/task"
)

// DefaultInlineInputs is how many (map output, partition) entries a
// stage's outputs may have and still be listed inline in its consumers'
// specs; beyond it the specs name a map status object instead, so their
// size no longer grows with the map-task count (gRPC caps a message at
// 64 MiB).
const DefaultInlineInputs = 4096

// stageIndex is the map status publications of one map stage.
type stageIndex struct {
	pub   sync.Mutex // one publication at a time; the rest under s.mu
	next  int        // the next version to publish
	stamp int        // outStamp at the last publication
	ref   task.InputRef
	urls  map[int][]string // version → the map output URLs it listed
}

// indexed says whether stage's consumers get its outputs through a map
// status object.
func (s *scheduler) indexed(stageID int) bool {
	out := s.g.Stages[stageID].Output
	if s.cfg.ShuffleDir == "" || out == nil {
		return false
	}
	limit := s.cfg.InlineInputs
	if limit == 0 {
		limit = DefaultInlineInputs
	}
	return limit < 0 || s.g.Stages[stageID].Partitions*out.Partitions > limit
}

// publishInputs writes a new map status object for every indexed parent
// of st whose outputs changed since it was last published (first run, or
// a lineage recompute): specs then name the newest version.
func (s *scheduler) publishInputs(ctx context.Context, st *stage.Stage) error {
	for _, parent := range st.Parents {
		if !s.indexed(parent) {
			continue
		}
		if err := s.publish(ctx, parent); err != nil {
			return fmt.Errorf("stage %d: publish the map status of stage %d: %w", st.ID, parent, err)
		}
	}
	return nil
}

func (s *scheduler) publish(ctx context.Context, stageID int) error {
	s.mu.Lock()
	if s.index == nil {
		s.index = map[int]*stageIndex{}
	}
	si := s.index[stageID]
	if si == nil {
		si = &stageIndex{urls: map[int][]string{}}
		s.index[stageID] = si
	}
	s.mu.Unlock()
	si.pub.Lock()
	defer si.pub.Unlock()
	s.mu.Lock()
	stamp := s.outStamp(stageID)
	outs := append([]task.MapOutput(nil), s.outs[stageID]...)
	fresh := si.next > 0 && si.stamp == stamp
	ver := si.next
	s.mu.Unlock()
	if fresh {
		return nil
	}
	url := mapstatus.URL(s.cfg.ShuffleDir, stageID, ver)
	if err := mapstatus.Write(ctx, url, outs); err != nil {
		return err
	}
	urls := make([]string, len(outs))
	for i, o := range outs {
		urls[i] = o.URL
	}
	s.mu.Lock()
	si.ref = task.InputRef{URL: url, Maps: len(outs), Version: ver}
	si.urls[ver], si.next, si.stamp = urls, ver+1, stamp
	s.mu.Unlock()
	return nil
}

// outStamp changes whenever one of stage's map outputs does (s.mu held).
func (s *scheduler) outStamp(stageID int) int {
	n := 0
	for p := range s.g.Stages[stageID].Partitions {
		n += s.gen[[2]int{stageID, p}]
	}
	return n
}

// addInputs gives spec the outputs of parent: the latest map status
// object when one is published, else inline (s.mu held).
func (s *scheduler) addInputs(spec *task.Spec, parent int) {
	if si := s.index[parent]; si != nil && si.next > 0 {
		if spec.InputIndex == nil {
			spec.InputIndex = map[int]task.InputRef{}
		}
		spec.InputIndex[parent] = si.ref
		return
	}
	outs := append([]task.MapOutput(nil), s.outs[parent]...)
	for i := range outs {
		outs[i].Mem = nil // the driver's alone: tasks read by Bytes
	}
	spec.Inputs[parent] = outs
}

// specInputURL is the URL spec was given for map output p of stage, ""
// when it names none (s.mu held).
func (s *scheduler) specInputURL(spec *task.Spec, stageID, p int) string {
	if ref, ok := spec.InputIndex[stageID]; ok {
		if si := s.index[stageID]; si != nil && p < len(si.urls[ref.Version]) {
			return si.urls[ref.Version][p]
		}
		return ""
	}
	if outs := spec.Inputs[stageID]; p < len(outs) {
		return outs[p].URL
	}
	return ""
}
