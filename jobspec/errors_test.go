package jobspec

import (
	"errors"
	"strings"
	"testing"
	"time"
)

const validJob = `
variable "day" { default = "2026-11-20" }
job "j" {
  source "orders" {
    format = "csv"
    path   = "in/${var.day}/"
  }
  view "paid" {
    from  = "orders"
    where = "status = 'paid'"
  }
  sink "out" {
    from   = "paid"
    format = "parquet"
    path   = "out/"
  }
}
`

// edit replaces old by new in validJob (which must contain old).
func edit(t *testing.T, old, new string) string {
	t.Helper()
	if !strings.Contains(validJob, old) {
		t.Fatalf("validJob has no %q", old)
	}
	return strings.Replace(validJob, old, new, 1)
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		vars map[string]string
		want string
	}{
		{"syntax error", edit(t, `from  = "orders"`, `from  = "orders`), nil, "x.hcl:9:20: Invalid multi-line string"},
		{"unclosed block", strings.TrimSuffix(strings.TrimSpace(validJob), "}"), nil, "x.hcl:2:9: Unclosed configuration block"},
		{"unknown attribute", edit(t, `where = `, `wher = `), nil, `x.hcl:10:5: Unsupported argument: An argument named "wher" is not expected here. Did you mean "where"?`},
		{"unknown variable", edit(t, "${var.day}", "${var.dya}"), nil, `x.hcl:6:20: unknown variable "dya" (did you mean "day"?)`},
		{"other root", edit(t, "${var.day}", "${local.day}"), nil, `x.hcl:6:20: unknown name "local"`},
		{"bad --var", validJob, map[string]string{"dy": "x"}, `--var dy: x.hcl declares no variable "dy" (did you mean "day"?)`},
		{"no default", edit(t, `{ default = "2026-11-20" }`, `{}`), nil, `x.hcl:2:1: variable "day" has no default; pass --var day=VALUE`},
		{"bad format", edit(t, `format = "csv"`, `format = "xml"`), nil, `x.hcl:5:14: format must be one of parquet, csv, jsonl, iceberg; got "xml"`},
		{"bad mode", edit(t, `path   = "out/"`, `path   = "out/"
    mode   = "replace"`), nil, `x.hcl:16:14: mode: unknown mode "replace"`},
		{"bad schema type", edit(t, `format = "csv"`, `format = "csv"
    schema = { id = "integr" }`), nil, `x.hcl:6:21: schema: column "id": unknown type "integr"`},
		{"unknown view", edit(t, `from   = "paid"`, `from   = "piad"`), nil, `x.hcl:13:14: unknown source or view "piad" (did you mean "paid"?)`},
		{"unknown from", edit(t, `from  = "orders"`, `from  = "order"`), nil, `x.hcl:9:13: unknown source or view "order" (did you mean "orders"?)`},
		{"both shapes", edit(t, `where = "status = 'paid'"`, `sql = "SELECT 1"`), nil, `x.hcl:10:11: view "paid": a view is either structured or sql, not both (remove from or sql)`},
		{"empty view", edit(t, `from  = "orders"`, ``), nil, `x.hcl:8:3: view "paid" needs from (a structured view) or sql`},
		{"having alone", edit(t, `where = `, `having = `), nil, `having needs group_by or aggregate`},
		{"missing path", edit(t, `path   = "in/${var.day}/"`, ``), nil, `x.hcl:5:5: a csv source needs path`},
		{"bad join type", edit(t, `where = "status = 'paid'"`, `join "orders" {
      type = "outer"
      on   = "a = b"
    }`), nil, `join type: unknown join type "outer"`},
		{"self reference", edit(t, `from  = "orders"`, `from  = "paid"`), nil, `x.hcl:9:13: view "paid" cannot read itself`},
		{"later view", edit(t, `view "paid" {`, `view "early" {
    from = "paid"
  }
  view "paid" {`), nil, `x.hcl:9:12: view "paid" is defined further down`},
		{"partitioning contradiction", edit(t, `format = "csv"`, `format = "csv"
    hive_partitioning = false
    partition_columns = { day = "date" }`), nil, `x.hcl:6:25: hive_partitioning = false contradicts partition_columns`},
		{"partitioning not bool", edit(t, `format = "csv"`, `format = "csv"
    hive_partitioning = "maybe"`), nil, `x.hcl:6:25: hive_partitioning must be true or false`},
		{"bad partition type", edit(t, `format = "csv"`, `format = "csv"
    partition_columns = { day = "dat" }`), nil, `x.hcl:6:33: partition_columns: column "day": unknown type "dat"`},
		{"partition column in schema", edit(t, `format = "csv"`, `format = "csv"
    schema = { day = "date", n = "int64" }
    partition_columns = { Day = "date" }`), nil, `x.hcl:7:27: partition_columns: "Day" is also declared in schema`},
		{"task_timeout without unit", edit(t, `job "j" {`, `job "j" {
  task_timeout = 30`), nil, `x.hcl:4:18: task_timeout must be a positive duration such as "30m" or "1h30m"; got "30"`},
		{"task_timeout zero", edit(t, `job "j" {`, `job "j" {
  task_timeout = "0s"`), nil, `x.hcl:4:18: task_timeout must be a positive duration`},
		{"speculation not bool", edit(t, `job "j" {`, `job "j" {
  speculation = "sometimes"`), nil, `x.hcl:4:17: speculation must be true or false`},
		{"two jobs", validJob + "\njob \"k\" {}\n", nil, "x.hcl:19:1: a second job block"},
		{"bad limit", edit(t, `where = `, `limit = -1
    where = `), nil, "x.hcl:10:13: limit must be a whole number of at least 0"},
		{"remote plugin without sha256", edit(t, `job "j" {`, `job "j" {
  plugin "kit" { source = "s3://b/kit" }`), nil, `x.hcl:4:3: plugin "kit": a binary from s3://b/kit needs sha256`},
		{"plugin env not a name", edit(t, `job "j" {`, `job "j" {
  plugin "kit" {
    source = "bin/kit"
    env    = ["OK_NAME", "A=B"]
  }`), nil, `x.hcl:6:26: plugin "kit": env: "A=B" is not an environment variable name`},
		{"plugin env with S3 keys", edit(t, `job "j" {`, `job "j" {
  plugin "kit" {
    source = "bin/kit"
    env    = ["aws_secret_access_key"]
  }`), nil, `x.hcl:6:15: plugin "kit": env: aws_secret_access_key is never passed to a plugin`},
		{"plugin env with the executor token", edit(t, `job "j" {`, `job "j" {
  plugin "kit" {
    source = "bin/kit"
    env    = ["DROVER_EXECUTOR_TOKEN"]
  }`), nil, `env: DROVER_EXECUTOR_TOKEN is never passed to a plugin`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseSource([]byte(tt.src), "x.hcl", tt.vars)
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			t.Logf("%v", err)
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error:\n%v\nwant it to contain:\n%s", err, tt.want)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("errors.Is(err, ErrInvalid) is false for %v", err)
			}
		})
	}
}

func TestParseValid(t *testing.T) {
	job, err := ParseSource([]byte(validJob), "x.hcl", nil)
	if err != nil {
		t.Fatal(err)
	}
	if job.Speculation != nil || job.TaskTimeout != 0 {
		t.Errorf("unset straggler settings read as speculation=%v task_timeout=%v", job.Speculation, job.TaskTimeout)
	}
}

// TestParseStragglerSettings: the job's speculation and task timeout, from
// literals and from variables.
func TestParseStragglerSettings(t *testing.T) {
	src := edit(t, `job "j" {`, `variable "limit" { default = "45m" }
job "j" {
  speculation  = false
  task_timeout = var.limit`)
	for _, c := range []struct {
		vars map[string]string
		want time.Duration
	}{{nil, 45 * time.Minute}, {map[string]string{"limit": "1h30m"}, 90 * time.Minute}} {
		job, err := ParseSource([]byte(src), "x.hcl", c.vars)
		if err != nil {
			t.Fatal(err)
		}
		if job.Speculation == nil || *job.Speculation || job.TaskTimeout != c.want {
			t.Errorf("vars %v: speculation=%v task_timeout=%v, want false and %v", c.vars, job.Speculation, job.TaskTimeout, c.want)
		}
	}
}

func TestPluginEnvAndChecksum(t *testing.T) {
	sum := strings.Repeat("ab", 32)
	job, err := ParseSource([]byte(edit(t, `job "j" {`, `job "j" {
  plugin "kit" {
    source = "s3://b/kit"
    sha256 = "`+strings.ToUpper(sum)+`"
    env    = ["GEO_API_URL", "LANGUAGE"]
  }
  plugin "local" { source = "bin/local" }`)), "x.hcl", nil)
	if err != nil {
		t.Fatal(err)
	}
	kit, local := job.Plugins[0], job.Plugins[1]
	if kit.SHA256 != sum || strings.Join(kit.Env, ",") != "GEO_API_URL,LANGUAGE" {
		t.Errorf("kit = %+v", kit)
	}
	if local.SHA256 != "" || local.Env != nil {
		t.Errorf("a local plugin without sha256 or env: %+v", local)
	}
}

func TestErrorAt(t *testing.T) {
	job, err := ParseSource([]byte(validJob), "jobs/x.hcl", nil)
	if err != nil {
		t.Fatal(err)
	}
	base := errors.New(`unknown column "stauts"`)
	err = At(job.Views[0].Where.Range, Errorf(job.Views[0].Where.Range, "where: %w", base))
	if !errors.Is(err, base) || !strings.HasPrefix(err.Error(), "jobs/x.hcl:10:13: ") {
		t.Errorf("At: %v", err)
	}
}
