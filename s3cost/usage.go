package s3cost

// Class is a request's billing class. S3 prices requests by class, not by
// API call: every PUT, POST, COPY (and multipart create, part, complete)
// costs the PUT price, LIST its own (the same on S3 Standard), GET, HEAD
// and anything else the GET price, and DELETE (including aborting a
// multipart upload) nothing.
type Class int

const (
	Get Class = iota
	Put
	List
	Delete
	numClasses
)

var classNames = [numClasses]string{"get", "put", "list", "delete"}

func (c Class) String() string {
	if c < 0 || c >= numClasses {
		return "unknown"
	}
	return classNames[c]
}

// Classes lists every class in order.
func Classes() []Class { return []Class{Get, Put, List, Delete} }

// Count is a number of requests and the payload bytes they moved: sent
// for PUTs, received for GETs and LISTs.
type Count struct {
	Requests int64 `json:"requests"`
	Bytes    int64 `json:"bytes"`
}

// Usage is the S3 traffic of a task, a stage, the driver or a run.
type Usage struct {
	Get    Count `json:"get"`
	Put    Count `json:"put"`
	List   Count `json:"list"`
	Delete Count `json:"delete"`
	// Errors counts requests answered with an error status or not
	// answered at all; they are included in the counts above (S3 bills
	// most of them too).
	Errors int64 `json:"errors,omitempty"`
	// Retries counts requests repeated after a transient failure
	// (throttling, 5xx, a dropped connection).
	Retries int64 `json:"retries,omitempty"`
}

// Of returns the count of one class.
func (u *Usage) Of(c Class) *Count {
	switch c {
	case Get:
		return &u.Get
	case Put:
		return &u.Put
	case List:
		return &u.List
	default:
		return &u.Delete
	}
}

// Requests is the number of requests of every class.
func (u Usage) Requests() int64 {
	return u.Get.Requests + u.Put.Requests + u.List.Requests + u.Delete.Requests
}

// Add accumulates o into u.
func (u *Usage) Add(o Usage) {
	for _, c := range Classes() {
		dst, src := u.Of(c), o.Of(c)
		dst.Requests += src.Requests
		dst.Bytes += src.Bytes
	}
	u.Errors += o.Errors
	u.Retries += o.Retries
}
