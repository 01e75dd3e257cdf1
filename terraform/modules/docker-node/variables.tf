variable "name" {
  type        = string
  description = "Container and host name; also the Nomad and Consul node name."
}

variable "image" {
  type        = string
  description = "Image ID of the Drover node image (packer/drover-node)."
}

variable "network" {
  type        = string
  description = "Name of the Docker network the node joins."
}

variable "ipv4_address" {
  type        = string
  description = "The node's fixed address on that network."
}

variable "env" {
  type        = map(string)
  description = "The node's settings (DROVER_*), from the node-config module."
}

variable "role" {
  type        = string
  description = "server or client; a client gets what a Nomad client in a container needs (CAP_SYS_ADMIN and the host's cgroup tree)."

  validation {
    condition     = contains(["server", "client"], var.role)
    error_message = "role must be \"server\" or \"client\"."
  }
}

variable "memory_mb" {
  type        = number
  default     = 2048
  description = "Memory limit of the container."
}

variable "labels" {
  type        = map(string)
  default     = {}
  description = "Labels on the container."
}

variable "ready_timeout" {
  type        = number
  default     = 180
  description = "Seconds Terraform waits for the node's health check (agents up, leader known)."
}

variable "files" {
  type        = map(string)
  sensitive   = true
  description = "The node's secrets by file name in /var/lib/drover/secrets (the node-config module's secret_files)."
}
