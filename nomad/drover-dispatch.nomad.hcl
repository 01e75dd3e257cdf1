# The parameterized variant of drover-driver.nomad.hcl: register it once,
# then start a run per day with `nomad job dispatch` (backfills, runs
# triggered by an upstream system). The day is dispatch metadata and
# reaches the Drover job as a variable (var.date by default).
#
#   nomad var put nomad/jobs/drover-dispatch access_key=... secret_key=...
#   nomad job run -var job_spec_url=s3://etl/jobs/daily_revenue.hcl \
#     -var shuffle_dir=s3://etl/shuffle nomad/drover-dispatch.nomad.hcl
#   nomad job dispatch -meta date=2026-11-20 drover-dispatch
#
# Optional metadata: job_spec_url (another job spec for this run).
# S3 credentials come from the Nomad variable nomad/jobs/drover-dispatch.

variable "date_var" {
  type        = string
  default     = "date"
  description = "Name of the Drover job variable that gets the date metadata."
}

variable "drover_binary" {
  type        = string
  default     = "/usr/local/bin/drover"
  description = "Path of the drover binary on the client nodes."
}

variable "job_spec_url" {
  type        = string
  description = "s3:// URL of the Drover job spec (a run's job_spec_url metadata overrides it)."
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
  default     = "nomad/jobs/drover-dispatch"
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

job "drover-dispatch" {
  type        = "batch"
  namespace   = var.namespace
  datacenters = var.datacenters

  parameterized {
    payload       = "forbidden"
    meta_required = ["date"]
    meta_optional = ["job_spec_url"]
  }

  # Defaults of the optional metadata.
  meta {
    job_spec_url = var.job_spec_url
  }

  group "driver" {
    count = 1

    # A driver that dies (killed, its node lost) is started again and
    # resumes the run: --run is the dispatched job's ID, the same for every
    # allocation of it, and a run with a journal resumes
    # (docs/operations.md, "Resuming a run"). A run that failed cleaned up
    # its journal, so a restart after a failure runs the job once more.
    restart {
      attempts = 1
      delay    = "10s"
      mode     = "fail"
    }

    # A lost node (its allocation lost) gets the driver rescheduled on
    # another node, once.
    reschedule {
      attempts  = 1
      interval  = "1h"
      delay     = "10s"
      unlimited = false
    }

    # Never two drivers on one run's journal: a client cut off from the
    # servers stops its driver after 1 min, and the servers place the
    # replacement only once that and the kill_timeout have passed (about
    # 3.5 min after a node is lost). Without this block a driver on a
    # partitioned node would keep running beside its replacement.
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

      config {
        command = var.drover_binary
        args = concat(
          ["driver", "${NOMAD_META_job_spec_url}",
            "--executors", "${var.executors}",
            "--shuffle-dir", var.shuffle_dir,
            "--executor-binary", var.drover_binary,
            "--executor-driver", var.task_driver,
            "--executor-user", var.task_user,
            "--ui-addr", "${NOMAD_ADDR_ui}",
            "--run", "${NOMAD_JOB_ID}",
          "--var", "${var.date_var}=${NOMAD_META_date}"],
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
