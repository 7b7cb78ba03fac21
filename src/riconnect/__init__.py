"""riconnect: a local, wire-compatible Alibaba Cloud VPC router-interface cloud."""

__version__ = "0.1.0"
