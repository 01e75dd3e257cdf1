# MinIO for clusters without S3: one MinIO server as a Nomad service job,
# registered in Consul as "minio" with a health check. Drover's jobs then
# use s3_endpoint = "http://<node address>:9000" (or minio.service.consul
# where Consul DNS resolves).
#
#   nomad var put nomad/jobs/minio root_user=drover root_password=...
#   nomad job run nomad/minio.nomad.hcl
#
# The root credentials come from the Nomad variable nomad/jobs/minio, never
# from this file. Data lives in data_dir on the node that runs it: pin it
# to one node with node_class (or a host volume) to keep the data.

variable "minio_binary" {
  type        = string
  default     = "/usr/local/bin/minio"
  description = "Path of the minio binary on the client nodes (the Drover node image has it)."
}

variable "data_dir" {
  type    = string
  default = "/opt/minio/data"
}

variable "port" {
  type        = number
  default     = 9000
  description = "Static S3 port on the node."
}

variable "console_port" {
  type    = number
  default = 9001
}

variable "region" {
  type    = string
  default = "us-east-1"
}

variable "node_class" {
  type        = string
  default     = ""
  description = "Run only on nodes of this class (empty: any node)."
}

variable "datacenters" {
  type    = list(string)
  default = ["*"]
}

job "minio" {
  type        = "service"
  datacenters = var.datacenters

  dynamic "constraint" {
    for_each = var.node_class != "" ? [var.node_class] : []
    content {
      attribute = "${node.class}"
      value     = constraint.value
    }
  }

  group "minio" {
    count = 1

    network {
      port "s3" {
        static = var.port
      }
      port "console" {
        static = var.console_port
      }
    }

    service {
      name     = "minio"
      port     = "s3"
      provider = "consul"

      check {
        type     = "http"
        path     = "/minio/health/live"
        interval = "5s"
        timeout  = "2s"
      }
    }

    restart {
      attempts = 3
      interval = "5m"
      delay    = "10s"
      mode     = "delay"
    }

    task "minio" {
      driver = "raw_exec"

      config {
        command = var.minio_binary
        args    = ["server", var.data_dir, "--address", "${NOMAD_ADDR_s3}", "--console-address", "${NOMAD_ADDR_console}", "--quiet"]
      }

      template {
        destination = "secrets/minio.env"
        env         = true
        data        = <<-EOT
          {{ with nomadVar "nomad/jobs/minio" }}
          MINIO_ROOT_USER={{ .root_user }}
          MINIO_ROOT_PASSWORD={{ .root_password }}
          {{ end }}
        EOT
      }

      env {
        MINIO_REGION = var.region
        MINIO_UPDATE = "off"
      }

      resources {
        cpu    = 500
        memory = 1024
      }
    }
  }
}
