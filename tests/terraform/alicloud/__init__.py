"""``riconnect.terraform.alicloud``: the real ``terraform`` binary against a live riconnect."""
