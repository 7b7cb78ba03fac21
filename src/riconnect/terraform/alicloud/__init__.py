"""Provider ``alicloud``: the real provider's resources for VPCs and router interfaces."""
