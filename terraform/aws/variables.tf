variable "name" {
  type        = string
  default     = "drover"
  description = "Name of the cluster: prefix of every resource and the value of the tags the nodes join by."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,23}$", var.name))
    error_message = "name must start with a letter and hold 2 to 24 lower-case letters, digits and dashes."
  }
}

variable "region" {
  type        = string
  default     = "us-east-1"
  description = "AWS region."
}

variable "ami_id" {
  type        = string
  default     = ""
  description = "AMI of the nodes; empty: the newest of this account's AMIs named ami_name_prefix-* (packer build -only=drover-node.amazon-ebs.node)."
}

variable "ami_name_prefix" {
  type        = string
  default     = "drover-node"
  description = "Name prefix of the Packer-built AMIs (packer variable ami_name_prefix)."
}

variable "vpc_cidr" {
  type        = string
  default     = "10.42.0.0/16"
  description = "IPv4 block of the VPC."
}

variable "az_count" {
  type        = number
  default     = 3
  description = "Availability zones the servers and clients spread over."
}

variable "private_nodes" {
  type        = bool
  default     = false
  description = "Nodes in private subnets behind a NAT gateway (no public IPs; reach the APIs through a VPN or bastion)."
}

variable "allowed_cidrs" {
  type        = list(string)
  default     = []
  description = "Networks allowed to reach the Nomad and Consul APIs (4646, 8500) and SSH. Empty: nothing from outside the VPC."

  validation {
    condition     = alltrue([for c in var.allowed_cidrs : can(cidrhost(c, 0))])
    error_message = "allowed_cidrs must hold CIDR blocks such as 203.0.113.7/32."
  }
}

variable "key_name" {
  type        = string
  default     = null
  description = "EC2 key pair for SSH (admin@...); null: no key."
}

variable "datacenter" {
  type        = string
  default     = "dc1"
  description = "Nomad and Consul datacenter."
}

variable "server_count" {
  type        = number
  default     = 3
  description = "Nomad and Consul servers (1, 3 or 5; 3 tolerates the loss of one)."

  validation {
    condition     = contains([1, 3, 5], var.server_count)
    error_message = "server_count must be 1, 3 or 5."
  }
}

variable "server_instance_type" {
  type        = string
  default     = "t3.small"
  description = "Instance type of the servers (2 vCPU, 2 GiB is enough for small clusters)."
}

variable "client_instance_type" {
  type        = string
  default     = "m6i.large"
  description = "Instance type of the clients, where drivers and executors run."
}

variable "client_min" {
  type        = number
  default     = 1
  description = "Fewest clients in the autoscaling group."

  validation {
    condition     = var.client_min >= 0
    error_message = "client_min cannot be negative."
  }
}

variable "client_desired" {
  type        = number
  default     = 3
  description = "Clients to start with."
}

variable "client_max" {
  type        = number
  default     = 10
  description = "Most clients in the autoscaling group."

  validation {
    condition     = var.client_max >= 1 && var.client_max <= 200
    error_message = "client_max must be between 1 and 200."
  }
}

variable "root_volume_gb" {
  type        = number
  default     = 30
  description = "Root volume of each node (gp3); executors spill sorts there."

  validation {
    condition     = var.root_volume_gb >= 16
    error_message = "root_volume_gb must be at least 16."
  }
}

variable "bucket_force_destroy" {
  type        = bool
  default     = false
  description = "Let terraform destroy delete the data bucket with its objects."
}

variable "shuffle_expiration_days" {
  type        = number
  default     = 2
  description = "Days after which objects under shuffle/ expire (drivers delete their own; this catches crashed runs)."

  validation {
    condition     = var.shuffle_expiration_days >= 1
    error_message = "shuffle_expiration_days must be at least 1."
  }
}

variable "tags" {
  type        = map(string)
  default     = {}
  description = "Tags on every resource."
}

variable "secrets_dir" {
  type        = string
  description = "Directory with the cluster's TLS certificates, gossip keys and ACL tokens, made by `scripts/cluster-secrets.sh DIR <datacenter>` (keep it private). They reach the nodes in their user data."

  validation {
    condition     = fileexists("${var.secrets_dir}/ca.pem") && fileexists("${var.secrets_dir}/nomad-bootstrap.token")
    error_message = "secrets_dir has no ca.pem or nomad-bootstrap.token: run scripts/cluster-secrets.sh on it first."
  }
}

variable "allow_raw_exec" {
  type        = bool
  default     = false
  description = "Enable Nomad's raw_exec driver on the clients besides exec (tasks then run without isolation, still as the drover user)."
}

variable "write_prefixes" {
  type        = list(string)
  default     = ["out/", "shuffle/", "events/"]
  description = "Prefixes of the data bucket the clients' instance profile may write and delete under (sinks, shuffle files, the event logs beside shuffle/); everything else in it is read-only to jobs."

  validation {
    condition     = length(var.write_prefixes) > 0 && alltrue([for p in var.write_prefixes : can(regex("^[A-Za-z0-9!_.()'-][A-Za-z0-9!_.()'/-]*/$", p))])
    error_message = "write_prefixes must be non-empty key prefixes ending in \"/\" (no leading slash, no wildcards)."
  }
}
