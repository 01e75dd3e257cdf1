# Runs a Drover job in cluster mode: the driver is this batch job; it
# registers the executors as another Nomad job (drover-<job>-<run>-executors),
# finds them through Consul, and stops them when the job ends.
#
#   nomad var put nomad/jobs/drover-driver access_key=... secret_key=...
#   nomad job run -var drover_binary=/opt/drover/bin/drover \
#     -var job_spec_url=s3://etl/jobs/daily_revenue.hcl \
#     -var shuffle_dir=s3://etl/shuffle nomad/drover-driver.nomad.hcl
#
# S3 credentials come from the Nomad variable nomad/jobs/drover-driver
# (keys access_key, secret_key; another path with -var s3_credentials=...),
# never from this file. While it runs, the driver's web UI is registered in
# Consul as the service "drover-ui"; its event log goes beside the shuffle
# dir (<parent>/events) unless event_log_dir says where, for `drover
# history` once the job is gone. Variants: drover-nightly.nomad.hcl (periodic),
# drover-dispatch.nomad.hcl (parameterized, `nomad job dispatch -meta
# date=...`); minio.nomad.hcl runs MinIO on clusters without S3. See
# nomad/README.md.

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
  description = "Drover job variables as name=value."
}

variable "driver_args" {
  type        = list(string)
  default     = []
  description = "Further `drover driver` flags, e.g. [\"--executor-memory\", \"2048\"]."
}

variable "s3_credentials" {
  type        = string
  default     = "nomad/jobs/drover-driver"
  description = "Nomad variable with access_key and secret_key. With ACLs on, a job reads nomad/jobs/<its ID> by default; another path needs a policy."
}

variable "shuffle_dir" {
  type        = string
  description = "s3:// prefix for shuffle files."
}

variable "event_log_dir" {
  type        = string
  default     = ""
  description = "s3:// prefix for the run's event log. Empty: <parent of shuffle_dir>/events."
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

job "drover-driver" {
  type        = "batch"
  namespace   = var.namespace
  datacenters = var.datacenters

  group "driver" {
    count = 1

    restart {
      attempts = 0
      mode     = "fail"
    }

    reschedule {
      attempts  = 0
      unlimited = false
    }

    network {
      port "ui" {}
      port "metrics" {}
    }

    # The live UI (stage graph, tasks, executors) while the job runs.
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

    # The driver's Prometheus metrics, found through Consul like the
    # executors' (docs/operations.md, "Metrics").
    service {
      name     = "drover-metrics"
      port     = "metrics"
      provider = "consul"
      tags     = ["drover", "driver", "prometheus"]
      meta {
        metrics_path = "/metrics"
        drover_role  = "driver"
        drover_job   = "${NOMAD_JOB_ID}"
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
          ["driver", var.job_spec_url != "" ? var.job_spec_url : "env:DROVER_JOB_SPEC",
            "--executors", "${var.executors}",
            "--shuffle-dir", var.shuffle_dir,
            "--metrics-addr", "${NOMAD_ADDR_metrics}",
            "--executor-binary", var.drover_binary,
            "--executor-driver", var.task_driver,
            "--executor-user", var.task_user,
          "--ui-addr", "${NOMAD_ADDR_ui}"],
          var.event_log_dir != "" ? ["--event-log-dir", var.event_log_dir] : [],
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
