variable "name" {
  type        = string
  description = "Name prefix of every resource."
}

variable "cidr" {
  type        = string
  default     = "10.42.0.0/16"
  description = "IPv4 block of the VPC; each subnet is a /20 of it."

  validation {
    condition     = can(cidrhost(var.cidr, 0)) && tonumber(split("/", var.cidr)[1]) <= 18
    error_message = "cidr must be an IPv4 block of /18 or larger."
  }
}

variable "az_count" {
  type        = number
  default     = 3
  description = "Availability zones to spread subnets over."

  validation {
    condition     = var.az_count >= 1 && var.az_count <= 4
    error_message = "az_count must be between 1 and 4."
  }
}

variable "private_nodes" {
  type        = bool
  default     = false
  description = "Put nodes in private subnets behind one NAT gateway (about 33 USD a month plus traffic) instead of public subnets with public IPs."
}

variable "tags" {
  type        = map(string)
  default     = {}
  description = "Tags on every resource."
}
