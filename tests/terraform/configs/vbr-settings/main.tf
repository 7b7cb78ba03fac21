# A VBR with every argument a plan after import can read back, then changed in place
# (ModifyVirtualBorderRouterAttribute, ChangeResourceGroup, the Express Connect tag actions)
# in one apply.  `status` stays: the official provider terminates first and then modifies,
# which a terminated VBR refuses (docs/fidelity.md).

variable "physical_connection_id" {
  default = "pc-ikk3yxrw6enenlwwcn7cw"
}

variable "vlan_id" {
  default = 110
}

variable "description" {
  default = "first description"
}

variable "mtu" {
  default = 1500
}

variable "detect_multiplier" {
  default = 3
}

variable "resource_group_id" {
  default = null
}

variable "env" {
  default = "test"
}

variable "status" {
  default = "active"
}

provider "alicloud" {
  region = "cn-hangzhou"
}

resource "alicloud_express_connect_virtual_border_router" "edge" {
  physical_connection_id     = var.physical_connection_id
  vlan_id                    = var.vlan_id
  local_gateway_ip           = "10.254.0.1"
  peer_gateway_ip            = "10.254.0.2"
  peering_subnet_mask        = "255.255.255.252"
  virtual_border_router_name = "edge"
  description                = var.description
  circuit_code               = "longtel001"
  bandwidth                  = 50
  enable_ipv6                = true
  local_ipv6_gateway_ip      = "2408:4004:cc::1"
  peer_ipv6_gateway_ip       = "2408:4004:cc::2"
  peering_ipv6_subnet_mask   = "2408:4004:cc::/56"
  mtu                        = var.mtu
  min_rx_interval            = 300
  min_tx_interval            = 300
  detect_multiplier          = var.detect_multiplier
  sitelink_enable            = true
  resource_group_id          = var.resource_group_id
  status                     = var.status
  tags = {
    env  = var.env
    team = "network"
  }
}
