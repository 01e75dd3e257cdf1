# The nightly variant of drover-driver.nomad.hcl: a periodic batch job
# that runs a Drover job every night, passing the day it processes as a
# job variable (yesterday, in UTC, by default).
#
#   nomad var put nomad/jobs/drover-nightly access_key=... secret_key=...
#   nomad job run -var job_spec_url=s3://etl/jobs/daily_revenue.hcl \
#     -var shuffle_dir=s3://etl/shuffle nomad/drover-nightly.nomad.hcl
#   nomad job periodic force drover-nightly      # run one now
#
# The Drover job reads the day as var.date (see date_var), e.g.
# path = "s3://etl/raw/orders/day=${var.date}/*.csv". Runs never overlap.
# S3 credentials come from the Nomad variable nomad/jobs/drover-nightly.

variable "cron" {
  type        = string
  default     = "30 2 * * *"
  description = "When to run (cron syntax, in time_zone)."
}

variable "time_zone" {
  type    = string
  default = "UTC"
}

variable "date_var" {
  type        = string
  default     = "date"
  description = "Name of the Drover job variable that gets the day (YYYY-MM-DD)."
}

variable "date_expr" {
  type        = string
  default     = "yesterday"
  description = "The day to process, as GNU date -d understands it, evaluated in UTC when the run starts."
}

variable "drover_binary" {
  type        = string
  default     = "/usr/local/bin/drover"
  description = "Path of the drover binary on the client nodes."
}

variable "job_spec_url" {
  type        = string
  default     = ""
  description = "s3:// URL of the Drover job spec. Empty: use job_spec_hcl."
}

variable "job_spec_hcl" {
  type        = string
  default     = ""
  description = "The Drover job spec itself (up to 90 KiB; larger specs: job_spec_url). It reaches the driver base64-encoded in its environment, as data: no template engine sees it."
}

variable "job_vars" {
  type        = list(string)
  default     = []
  description = "Further Drover job variables as name=value."
}

variable "driver_args" {
  type        = list(string)
  default     = []
  description = "Further `drover driver` flags."
}

variable "s3_credentials" {
  type        = string
  default     = "nomad/jobs/drover-nightly"
  description = "Nomad variable with access_key and secret_key."
}

variable "shuffle_dir" {
  type        = string
  description = "s3:// prefix for shuffle files."
}

variable "executors" {
  type    = number
  default = 3
}

variable "s3_endpoint" {
  type        = string
  default     = ""
  description = "S3 endpoint for MinIO (path-style); empty for AWS S3."
}

variable "region" {
  type    = string
  default = "us-east-1"
}

variable "nomad_addr" {
  type        = string
  default     = ""
  description = "Nomad API address the driver registers executors with. Empty: the task API socket, authenticated by the task's workload identity."
}

variable "namespace" {
  type        = string
  default     = "drover"
  description = "Nomad namespace of the driver and its executors; on a cluster from terraform/, drover's workload identity policy covers exactly this one."
}

variable "task_driver" {
  type        = string
  default     = "exec"
  description = "Nomad task driver of the driver and the executors: exec (isolated) or raw_exec (only where the clients enable it)."
}

variable "task_user" {
  type        = string
  default     = "drover"
  description = "Unprivileged user the driver and the executors run as (the node image has it). Empty: the task driver's default."
}

variable "consul_token_var" {
  type        = string
  default     = "drover/consul"
  description = "Nomad variable (key token) with the driver's Consul token, for clusters with Consul ACLs; skipped when it does not exist."
}

variable "consul_addr" {
  type    = string
  default = "127.0.0.1:8500"
}

variable "datacenters" {
  type    = list(string)
  default = ["*"]
}

job "drover-nightly" {
  type        = "batch"
  namespace   = var.namespace
  datacenters = var.datacenters

  periodic {
    crons            = [var.cron]
    time_zone        = var.time_zone
    prohibit_overlap = true
  }

  group "driver" {
    count = 1

    # As in drover-dispatch.nomad.hcl: a driver that dies (killed, its
    # node lost) is started again and resumes the run: --run is the
    # launch's job ID (drover-nightly/periodic-<unix time>), the same for
    # every allocation of it. The day is computed again when a driver
    # starts: a restart after midnight (UTC) plans another day, and its
    # resume is refused as a changed plan (docs/operations.md).
    restart {
      attempts = 1
      delay    = "10s"
      mode     = "fail"
    }

    reschedule {
      attempts  = 1
      interval  = "1h"
      delay     = "10s"
      unlimited = false
    }

    # Never two drivers on one run's journal (see drover-dispatch.nomad.hcl).
    disconnect {
      stop_on_client_after = "1m"
    }

    network {
      port "ui" {}
    }

    # The driver's live web UI while the run goes on (see docs/operations.md).
    service {
      name     = "drover-ui"
      port     = "ui"
      provider = "consul"
      tags     = ["drover"]

      check {
        type     = "http"
        path     = "/healthz"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "driver" {
      driver = var.task_driver
      user   = var.task_user
      # Time to commit or abort, then stop and purge the executor job
      # (otherwise Nomad SIGKILLs the driver after 5 s).
      kill_timeout = "2m"

      # A shell computes the day when the run starts and appends it to the
      # driver's arguments ("$@").
      config {
        command = "/bin/sh"
        args = concat(
          ["-c", "exec \"$@\" --var \"${var.date_var}=$(date -u -d \"$DROVER_DATE_EXPR\" +%F)\"", "drover-nightly",
            var.drover_binary, "driver", var.job_spec_url != "" ? var.job_spec_url : "env:DROVER_JOB_SPEC",
            "--executors", "${var.executors}",
            "--shuffle-dir", var.shuffle_dir,
            "--executor-binary", var.drover_binary,
            "--executor-driver", var.task_driver,
            "--executor-user", var.task_user,
            "--ui-addr", "${NOMAD_ADDR_ui}",
          "--run", "${NOMAD_JOB_ID}"],
          var.driver_args,
          flatten([for v in var.job_vars : ["--var", v]])
        )
      }

      template {
        destination = "secrets/s3.env"
        env         = true
        data        = <<-EOT
          {{ with nomadVar "${var.s3_credentials}" }}
          AWS_ACCESS_KEY_ID={{ .access_key }}
          AWS_SECRET_ACCESS_KEY={{ .secret_key }}
          {{ end }}
        EOT
      }

      # The task's workload identity as NOMAD_TOKEN: the driver registers
      # and scales its executors with it, through the task API socket
      # (drover's namespace policy says what it may do).
      identity {
        env = true
      }

      template {
        destination = "secrets/consul.env"
        env         = true
        data        = <<-EOT
          {{ if nomadVarExists "${var.consul_token_var}" }}{{ with nomadVar "${var.consul_token_var}" }}
          CONSUL_HTTP_TOKEN={{ .token }}
          {{ end }}{{ end }}
        EOT
      }

      env {
        DROVER_DATE_EXPR = var.date_expr
        # The spec as data: base64 has no "{{" or "${" for Nomad to expand.
        DROVER_JOB_SPEC     = base64encode(var.job_spec_hcl)
        AWS_REGION          = var.region
        AWS_ENDPOINT_URL_S3 = var.s3_endpoint
        NOMAD_ADDR          = var.nomad_addr != "" ? var.nomad_addr : "unix://${NOMAD_SECRETS_DIR}/api.sock"
        CONSUL_HTTP_ADDR    = var.consul_addr
        CHECKPOINT_DISABLE  = "1"
      }

      resources {
        cpu    = 500
        memory = 512
      }
    }
  }
}
