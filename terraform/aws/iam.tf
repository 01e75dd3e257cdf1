# Instance profiles: servers may only look up their peers (cloud
# auto-join); clients may also read the data bucket and write under its
# write_prefixes.
data "aws_iam_policy_document" "assume_ec2" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "auto_join" {
  statement {
    sid       = "CloudAutoJoin"
    actions   = ["ec2:DescribeInstances", "ec2:DescribeTags", "autoscaling:DescribeAutoScalingGroups"]
    resources = ["*"]
  }
}

# The executors' and drivers' S3 access: list and read the whole data
# bucket (inputs), write and delete only under write_prefixes (sinks,
# shuffle files, event logs), nothing in any other bucket.
data "aws_iam_policy_document" "data_bucket" {
  statement {
    sid       = "ListBucket"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"]
    resources = [aws_s3_bucket.data.arn]
  }
  statement {
    sid       = "ReadObjects"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.data.arn}/*"]
  }
  statement {
    sid       = "WriteUnderPrefixes"
    actions   = ["s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
    resources = [for p in var.write_prefixes : "${aws_s3_bucket.data.arn}/${p}*"]
  }
}

resource "aws_iam_role" "server" {
  name_prefix        = "${var.name}-server-"
  assume_role_policy = data.aws_iam_policy_document.assume_ec2.json
}

resource "aws_iam_role_policy" "server_auto_join" {
  name   = "auto-join"
  role   = aws_iam_role.server.id
  policy = data.aws_iam_policy_document.auto_join.json
}

resource "aws_iam_instance_profile" "server" {
  name_prefix = "${var.name}-server-"
  role        = aws_iam_role.server.name
}

resource "aws_iam_role" "client" {
  name_prefix        = "${var.name}-client-"
  assume_role_policy = data.aws_iam_policy_document.assume_ec2.json
}

resource "aws_iam_role_policy" "client_auto_join" {
  name   = "auto-join"
  role   = aws_iam_role.client.id
  policy = data.aws_iam_policy_document.auto_join.json
}

resource "aws_iam_role_policy" "client_data" {
  name   = "data-bucket"
  role   = aws_iam_role.client.id
  policy = data.aws_iam_policy_document.data_bucket.json
}

resource "aws_iam_instance_profile" "client" {
  name_prefix = "${var.name}-client-"
  role        = aws_iam_role.client.name
}
