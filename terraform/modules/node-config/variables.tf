variable "role" {
  type        = string
  description = "server (Nomad and Consul servers) or client (Nomad client and Consul agent, runs the executors)."

  validation {
    condition     = contains(["server", "client"], var.role)
    error_message = "role must be \"server\" or \"client\"."
  }
}

variable "datacenter" {
  type        = string
  default     = "dc1"
  description = "Nomad and Consul datacenter."

  validation {
    condition     = can(regex("^[a-z0-9-]{1,32}$", var.datacenter))
    error_message = "datacenter may hold lower-case letters, digits and dashes (1 to 32)."
  }
}

variable "region" {
  type        = string
  default     = "global"
  description = "Nomad region."
}

variable "join" {
  type        = list(string)
  description = "Addresses the agents join: server IPs or host names, or one cloud auto-join string such as \"provider=aws tag_key=drover-cluster tag_value=prod\"."

  validation {
    condition     = length(var.join) > 0
    error_message = "join needs at least one address."
  }
}

variable "server_count" {
  type        = number
  default     = 1
  description = "Servers the cluster expects before it elects a leader (bootstrap_expect)."

  validation {
    condition     = contains([1, 3, 5], var.server_count)
    error_message = "server_count must be 1, 3 or 5."
  }
}

variable "advertise_addr" {
  type        = string
  default     = ""
  description = "Address the agents advertise; empty: the node's first global IPv4, found at boot."
}

variable "node_name" {
  type        = string
  default     = ""
  description = "Node name; empty: the host name."
}

variable "node_class" {
  type        = string
  default     = "drover"
  description = "Nomad node class of clients."
}

variable "cloud" {
  type        = string
  default     = "none"
  description = "aws lets Nomad fingerprint the EC2 instance; none keeps every cloud fingerprinter off (no metadata requests)."

  validation {
    condition     = contains(["aws", "none"], var.cloud)
    error_message = "cloud must be \"aws\" or \"none\"."
  }
}

variable "secrets" {
  type        = map(string)
  sensitive   = true
  description = "The cluster's secrets by file name, as scripts/cluster-secrets.sh writes them (the roots read its directory); the module passes on only what the role needs."

  validation {
    condition = alltrue([for n in ["ca.pem", "consul-server.pem", "consul-server-key.pem", "consul-client.pem", "consul-client-key.pem",
      "nomad-server.pem", "nomad-server-key.pem", "nomad-client.pem", "nomad-client-key.pem", "consul-gossip.key", "nomad-gossip.key",
      "consul-agent.token", "nomad-consul.token", "consul-management.token", "nomad-bootstrap.token", "drover-consul.token"] :
    length(trimspace(lookup(var.secrets, n, ""))) > 0])
    error_message = "secrets lacks a file scripts/cluster-secrets.sh makes (run it for the cluster's secrets_dir)."
  }
}

variable "raw_exec" {
  type        = bool
  default     = false
  description = "Enable Nomad's raw_exec driver on clients (tasks then run unisolated, though still as the drover user). Off: only exec."
}
