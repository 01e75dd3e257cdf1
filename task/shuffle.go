package task

import (
	"fmt"
	"hash/fnv"
)

// ShuffleURL names the object a map attempt writes under the run's
// shuffle directory. A two-hex-digit prefix derived from the task spreads
// objects over many key prefixes, which S3 rate-limits separately. The
// driver and `drover gc` use it too: knowing the exact key of every
// attempt lets them find an attempt's incomplete upload even where a
// bucket-wide listing of uploads does not show it.
func ShuffleURL(dir string, stage, partition, attempt int) string {
	h := fnv.New32a()
	fmt.Fprintf(h, "%d/%d", stage, partition)
	return fmt.Sprintf("%s/%02x/s%d-m%d-a%d.arrows", dir, h.Sum32()&0xff, stage, partition, attempt)
}
