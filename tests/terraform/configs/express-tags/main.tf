# examples/express-connect with tags and a resource group on the interface, changed in place
# with its description (TagResourcesForExpressConnect, UntagResourcesForExpressConnect,
# ChangeResourceGroup, ModifyRouterInterfaceAttribute).

variable "region" {
  default = "cn-hangzhou"
}

variable "physical_connection_id" {
  default = "pc-ikk3yxrw6enenlwwcn7cw"
}

variable "access_point_id" {
  default = "ap-cn-hangzhou-jg-B"
}

variable "account_id" {
  default = "1234567890123456"
}

variable "resource_group_id" {
  default = null
}

variable "env" {
  default = "test"
}

variable "description" {
  default = "Datacenter to office VPC"
}

provider "alicloud" {
  region = var.region
}

resource "alicloud_vpc" "office" {
  vpc_name   = "office"
  cidr_block = "10.0.0.0/8"
}

resource "alicloud_express_connect_virtual_border_router" "dc" {
  physical_connection_id     = var.physical_connection_id
  vlan_id                    = 100
  local_gateway_ip           = "10.254.0.1"
  peer_gateway_ip            = "10.254.0.2"
  peering_subnet_mask        = "255.255.255.252"
  virtual_border_router_name = "datacenter"
}

resource "alicloud_express_connect_router_interface" "dc_to_office" {
  router_type                 = "VBR"
  router_id                   = alicloud_express_connect_virtual_border_router.dc.id
  access_point_id             = var.access_point_id
  role                        = "InitiatingSide"
  spec                        = "Mini.2"
  opposite_region_id          = var.region
  opposite_router_type        = "VRouter"
  opposite_router_id          = alicloud_vpc.office.router_id
  opposite_interface_owner_id = var.account_id
  fast_link_mode              = true
  payment_type                = "PayAsYouGo"
  router_interface_name       = "dc-to-office"
  description                 = var.description
  resource_group_id           = var.resource_group_id
  tags = {
    env  = var.env
    kind = "express"
  }
}
