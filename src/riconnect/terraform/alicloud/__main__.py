"""Entry point Terraform runs (through the launcher that ``riconnect terraform setup`` writes)."""

from riconnect.terraform.alicloud.provider import main

main()
