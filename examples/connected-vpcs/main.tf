# Two VPCs joined by a router interface pair, one vSwitch in each, and a route in each VPC
# sending the other VPC's CIDR block to its router interface: traffic flows both ways
# between 172.16.1.0/24 and 192.168.1.0/24. See README.md for `riconnect reach`.

variable "name" {
  default = "riconnect-connected"
}

provider "alicloud" {
  region = "cn-hangzhou"
}

data "alicloud_zones" "default" {
  available_resource_creation = "VSwitch"
}

resource "alicloud_vpc" "a" {
  vpc_name   = "${var.name}-a"
  cidr_block = "172.16.0.0/12"
}

resource "alicloud_vpc" "b" {
  vpc_name   = "${var.name}-b"
  cidr_block = "192.168.0.0/16"
}

resource "alicloud_vswitch" "a" {
  vswitch_name = "${var.name}-a"
  vpc_id       = alicloud_vpc.a.id
  cidr_block   = "172.16.1.0/24"
  zone_id      = data.alicloud_zones.default.zones.0.id
}

resource "alicloud_vswitch" "b" {
  vswitch_name = "${var.name}-b"
  vpc_id       = alicloud_vpc.b.id
  cidr_block   = "192.168.1.0/24"
  zone_id      = data.alicloud_zones.default.zones.0.id
}

resource "alicloud_router_interface" "a" {
  opposite_region = "cn-hangzhou"
  router_type     = "VRouter"
  router_id       = alicloud_vpc.a.router_id
  role            = "InitiatingSide"
  specification   = "Large.2"
  name            = "${var.name}-a-to-b"
}

resource "alicloud_router_interface" "b" {
  opposite_region = "cn-hangzhou"
  router_type     = "VRouter"
  router_id       = alicloud_vpc.b.router_id
  role            = "AcceptingSide"
  name            = "${var.name}-b-from-a"
}

# The accepting side consents first, then the initiating side connects.
resource "alicloud_router_interface_connection" "b" {
  interface_id          = alicloud_router_interface.b.id
  opposite_interface_id = alicloud_router_interface.a.id
}

resource "alicloud_router_interface_connection" "a" {
  interface_id          = alicloud_router_interface.a.id
  opposite_interface_id = alicloud_router_interface.b.id
  depends_on            = [alicloud_router_interface_connection.b]
}

# A link carries traffic only once each side routes the other's CIDR block to it.
resource "alicloud_route_entry" "a_to_b" {
  route_table_id        = alicloud_vpc.a.route_table_id
  destination_cidrblock = alicloud_vpc.b.cidr_block
  nexthop_type          = "RouterInterface"
  nexthop_id            = alicloud_router_interface.a.id
  name                  = "to-${var.name}-b"
  depends_on            = [alicloud_router_interface_connection.a]
}

resource "alicloud_route_entry" "b_to_a" {
  route_table_id        = alicloud_vpc.b.route_table_id
  destination_cidrblock = alicloud_vpc.a.cidr_block
  nexthop_type          = "RouterInterface"
  nexthop_id            = alicloud_router_interface.b.id
  name                  = "to-${var.name}-a"
  depends_on            = [alicloud_router_interface_connection.b]
}

output "vswitch_a" {
  value = alicloud_vswitch.a.id
}

output "vswitch_b" {
  value = alicloud_vswitch.b.id
}
