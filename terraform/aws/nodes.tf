# The servers: fixed instances spread over the availability zones, tagged
# so that every agent finds them (drover-server = <name>).
resource "aws_instance" "server" {
  count                  = var.server_count
  ami                    = local.ami_id
  instance_type          = var.server_instance_type
  subnet_id              = local.subnets[count.index % length(local.subnets)]
  vpc_security_group_ids = [aws_security_group.nodes.id]
  iam_instance_profile   = aws_iam_instance_profile.server.name
  key_name               = var.key_name
  user_data              = module.server_config.user_data

  metadata_options {
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  root_block_device {
    volume_type = "gp3"
    volume_size = var.root_volume_gb
    encrypted   = true
  }

  tags = {
    Name            = "${var.name}-server-${count.index + 1}"
    "drover-server" = var.name
  }

  lifecycle {
    # A new AMI replaces servers only when asked (terraform apply -replace=...).
    ignore_changes = [ami, user_data]
  }
}

# The clients: an autoscaling group from a launch template.
resource "aws_launch_template" "client" {
  name_prefix            = "${var.name}-client-"
  image_id               = local.ami_id
  instance_type          = var.client_instance_type
  key_name               = var.key_name
  user_data              = base64encode(module.client_config.user_data)
  vpc_security_group_ids = [aws_security_group.nodes.id]
  update_default_version = true

  iam_instance_profile {
    arn = aws_iam_instance_profile.client.arn
  }

  metadata_options {
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_type           = "gp3"
      volume_size           = var.root_volume_gb
      encrypted             = true
      delete_on_termination = true
    }
  }

  tag_specifications {
    resource_type = "instance"
    tags = {
      Name            = "${var.name}-client"
      "drover-client" = var.name
    }
  }
}

resource "aws_autoscaling_group" "clients" {
  name_prefix         = "${var.name}-clients-"
  min_size            = var.client_min
  max_size            = var.client_max
  desired_capacity    = var.client_desired
  vpc_zone_identifier = local.subnets
  health_check_type   = "EC2"

  launch_template {
    id      = aws_launch_template.client.id
    version = aws_launch_template.client.latest_version
  }

  instance_refresh {
    strategy = "Rolling"
    preferences {
      min_healthy_percentage = 66
    }
  }

  lifecycle {
    precondition {
      condition     = local.client_sizes_ok
      error_message = "client_desired must lie between client_min and client_max."
    }
  }

  depends_on = [aws_instance.server]
}
