variable "artifacts_dir" {
  type        = string
  description = "Directory holding bin/{nomad,consul,minio,drover} and plugins/ (linux/amd64 builds); `make image-artifacts` stages it in bin/image."
}

variable "base_image" {
  type        = string
  default     = "drover-base:bookworm"
  description = "Local Docker image the docker source starts from (packer/base/build-base-image.sh makes it)."
}

variable "image_repository" {
  type        = string
  default     = "drover-node"
  description = "Repository of the tagged Docker image."
}

variable "image_tag" {
  type        = string
  default     = "latest"
  description = "Tag of the Docker image."
}

variable "docker_labels" {
  type        = map(string)
  default     = {}
  description = "Labels on the build container of the docker source."
}

variable "aws_region" {
  type        = string
  default     = "us-east-1"
  description = "Region the AMI is built in."
}

variable "ami_regions" {
  type        = list(string)
  default     = []
  description = "Further regions to copy the AMI to."
}

variable "aws_instance_type" {
  type        = string
  default     = "t3.small"
  description = "Instance type of the build instance."
}

variable "ami_name_prefix" {
  type        = string
  default     = "drover-node"
  description = "AMI names are this plus a timestamp; terraform/aws finds the newest by this prefix."

  validation {
    condition     = can(regex("^[a-zA-Z0-9()./_-]{3,100}$", var.ami_name_prefix))
    error_message = "The AMI name prefix may hold letters, digits and ()./_- only (3 to 100 characters)."
  }
}

variable "aws_tags" {
  type        = map(string)
  default     = {}
  description = "Tags on the AMI and its snapshot."
}
