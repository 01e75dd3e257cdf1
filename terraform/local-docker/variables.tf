variable "name" {
  type        = string
  default     = "drover"
  description = "Prefix of every container, the network and the volume; also the value of the drover.cluster label."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,30}$", var.name))
    error_message = "name must start with a letter and hold lower-case letters, digits and dashes (at most 31)."
  }
}

variable "image" {
  type        = string
  default     = "drover-node:latest"
  description = "The node image built by `packer build -only=docker.node packer/drover-node` (make image)."
}

variable "subnet" {
  type        = string
  default     = "10.213.7.0/24"
  description = "IPv4 subnet of the private network: .1 is the host's bridge, .9 MinIO, .10 the server, .11 and up the clients."

  validation {
    condition     = can(cidrhost(var.subnet, 0)) && tonumber(split("/", var.subnet)[1]) <= 27
    error_message = "subnet must be an IPv4 CIDR block of /27 or larger."
  }
}

variable "client_count" {
  type        = number
  default     = 3
  description = "Nomad client nodes (executors and drivers run there)."

  validation {
    condition     = var.client_count >= 1 && var.client_count <= 16
    error_message = "client_count must be between 1 and 16."
  }
}

variable "datacenter" {
  type        = string
  default     = "dc1"
  description = "Nomad and Consul datacenter."
}

variable "client_memory_mb" {
  type        = number
  default     = 2048
  description = "Memory limit of each client container (the executors run inside it)."

  validation {
    condition     = var.client_memory_mb >= 512
    error_message = "client_memory_mb must be at least 512."
  }
}

variable "minio_root_user" {
  type        = string
  default     = "admin"
  description = "MinIO root user (Terraform's; jobs use s3_user)."
}

variable "s3_user" {
  type        = string
  default     = "drover"
  description = "MinIO user the jobs use (the S3 access key): read and write in the buckets only. Its secret key is generated."
}

variable "minio_root_password" {
  type        = string
  sensitive   = true
  description = "MinIO root password (Terraform's; never given to jobs)."

  validation {
    condition     = length(var.minio_root_password) >= 8
    error_message = "minio_root_password must be at least 8 characters (MinIO refuses shorter ones)."
  }
}

variable "s3_region" {
  type        = string
  default     = "us-east-1"
  description = "Region MinIO reports."
}

variable "buckets" {
  type        = list(string)
  default     = ["data", "out", "drover"]
  description = "Buckets to create: input data, job output, shuffle files (s3://drover/shuffle) and job specs."
}

variable "labels" {
  type        = map(string)
  default     = {}
  description = "Extra labels on every container, the network and the volume (a test labels its run to clean up after failures)."
}

variable "secrets_dir" {
  type        = string
  description = "Directory with the cluster's TLS certificates, gossip keys and ACL tokens, made by `scripts/cluster-secrets.sh DIR` (keep it private: it holds the management tokens and the CA key)."

  validation {
    condition     = fileexists("${var.secrets_dir}/ca.pem") && fileexists("${var.secrets_dir}/nomad-bootstrap.token")
    error_message = "secrets_dir has no ca.pem or nomad-bootstrap.token: run scripts/cluster-secrets.sh on it first."
  }
}

variable "allow_raw_exec" {
  type        = bool
  default     = false
  description = "Enable Nomad's raw_exec driver on the clients besides exec (tasks then run without isolation, still as the drover user). Off by default."
}

variable "read_only_buckets" {
  type        = list(string)
  default     = ["data"]
  description = "Buckets (of buckets) the jobs' MinIO user may only read: the inputs. The others it may read and write (sinks, shuffle files, event logs)."
}
