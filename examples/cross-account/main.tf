# Two accounts connect their VPCs. Each account configures its own side; the accepting
# side goes first, naming the initiator's owner, router and interface; then the
# initiating side connects. Run against `riconnect serve --accounts examples/accounts.toml`.

variable "region" {
  default = "cn-hangzhou"
}

variable "account_a_id" {
  default = "1234567890123456"
}

variable "account_a_access_key" {
  default = "LTAI5tRiconnectDemoKey01"
}

variable "account_a_secret_key" {
  default   = "riconnectDemoSecret0000000000000"
  sensitive = true
}

variable "account_b_id" {
  default = "2234567890123456"
}

variable "account_b_access_key" {
  default = "LTAI5tRiconnectDemoKey02"
}

variable "account_b_secret_key" {
  default   = "riconnectDemoSecret0000000000002"
  sensitive = true
}

provider "alicloud" {
  region     = var.region
  access_key = var.account_a_access_key
  secret_key = var.account_a_secret_key
}

provider "alicloud" {
  alias      = "b"
  region     = var.region
  access_key = var.account_b_access_key
  secret_key = var.account_b_secret_key
}

resource "alicloud_vpc" "a" {
  vpc_name   = "network-a"
  cidr_block = "172.16.0.0/12"
}

resource "alicloud_vpc" "b" {
  provider   = alicloud.b
  vpc_name   = "network-b"
  cidr_block = "192.168.0.0/16"
}

resource "alicloud_router_interface" "initiator" {
  opposite_region = var.region
  router_type     = "VRouter"
  router_id       = alicloud_vpc.a.router_id
  role            = "InitiatingSide"
  specification   = "Large.2"
  name            = "a-to-b"
}

resource "alicloud_router_interface" "acceptor" {
  provider        = alicloud.b
  opposite_region = var.region
  router_type     = "VRouter"
  router_id       = alicloud_vpc.b.router_id
  role            = "AcceptingSide"
  name            = "b-from-a"
}

# Account B consents: its acceptor names A's interface, router and account.
resource "alicloud_router_interface_connection" "acceptor" {
  provider                    = alicloud.b
  interface_id                = alicloud_router_interface.acceptor.id
  opposite_interface_id       = alicloud_router_interface.initiator.id
  opposite_interface_owner_id = var.account_a_id
  opposite_router_id          = alicloud_vpc.a.router_id
  opposite_router_type        = "VRouter"
}

# Account A connects.
resource "alicloud_router_interface_connection" "initiator" {
  interface_id                = alicloud_router_interface.initiator.id
  opposite_interface_id       = alicloud_router_interface.acceptor.id
  opposite_interface_owner_id = var.account_b_id
  opposite_router_id          = alicloud_vpc.b.router_id
  opposite_router_type        = "VRouter"
  depends_on                  = [alicloud_router_interface_connection.acceptor]
}

output "initiator" {
  value = alicloud_router_interface_connection.initiator.id
}

output "acceptor" {
  value = alicloud_router_interface_connection.acceptor.id
}
