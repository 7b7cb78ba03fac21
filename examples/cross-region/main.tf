# One account connects a VPC in Hangzhou with a VPC in Shanghai.

variable "name" {
  default = "riconnect-cross-region"
}

provider "alicloud" {
  region = "cn-hangzhou"
}

provider "alicloud" {
  alias  = "shanghai"
  region = "cn-shanghai"
}

resource "alicloud_vpc" "hangzhou" {
  vpc_name   = "${var.name}-hangzhou"
  cidr_block = "172.16.0.0/12"
}

resource "alicloud_vpc" "shanghai" {
  provider   = alicloud.shanghai
  vpc_name   = "${var.name}-shanghai"
  cidr_block = "192.168.0.0/16"
}

resource "alicloud_router_interface" "hangzhou" {
  opposite_region = "cn-shanghai"
  router_type     = "VRouter"
  router_id       = alicloud_vpc.hangzhou.router_id
  role            = "InitiatingSide"
  specification   = "Large.1"
  name            = "${var.name}-initiator"
}

resource "alicloud_router_interface" "shanghai" {
  provider        = alicloud.shanghai
  opposite_region = "cn-hangzhou"
  router_type     = "VRouter"
  router_id       = alicloud_vpc.shanghai.router_id
  role            = "AcceptingSide"
  name            = "${var.name}-acceptor"
}

resource "alicloud_router_interface_connection" "shanghai" {
  provider              = alicloud.shanghai
  interface_id          = alicloud_router_interface.shanghai.id
  opposite_interface_id = alicloud_router_interface.hangzhou.id
}

resource "alicloud_router_interface_connection" "hangzhou" {
  interface_id          = alicloud_router_interface.hangzhou.id
  opposite_interface_id = alicloud_router_interface.shanghai.id
  depends_on            = [alicloud_router_interface_connection.shanghai]
}
