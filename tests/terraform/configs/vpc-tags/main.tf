# A VPC whose description, tags and resource group change in place
# (ModifyVpcAttribute, UnTagResources/TagResources, MoveResourceGroup).

variable "description" {
  default = "first description"
}

variable "resource_group_id" {
  default = null
}

variable "env" {
  default = "test"
}

provider "alicloud" {
  region = "cn-hangzhou"
}

resource "alicloud_vpc" "tagged" {
  vpc_name          = "tagged"
  cidr_block        = "10.0.0.0/8"
  description       = var.description
  resource_group_id = var.resource_group_id
  tags = {
    env  = var.env
    team = "network"
  }
}
