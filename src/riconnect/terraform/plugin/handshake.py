"""go-plugin handshake: magic cookie, protocol choice, socket directory, TLS certificate."""

from __future__ import annotations

import base64
import datetime
import os
import sys
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

MAGIC_COOKIE_KEY = "TF_PLUGIN_MAGIC_COOKIE"
MAGIC_COOKIE_VALUE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
CORE_PROTOCOL_VERSION = 1

NOT_A_PROGRAM = (
    "This binary is a plugin. These are not meant to be executed directly.\n"
    "Please execute the program that consumes these plugins, which will\n"
    "load any plugins automatically\n"
)


class HandshakeError(Exception):
    """The environment is not a plugin host we can talk to; message is for stderr."""


def check_cookie(env: Mapping[str, str]) -> None:
    if env.get(MAGIC_COOKIE_KEY) != MAGIC_COOKIE_VALUE:
        raise HandshakeError(NOT_A_PROGRAM)


def choose_protocol(env: Mapping[str, str], supported: Iterable[int]) -> int:
    """Highest version both Terraform (PLUGIN_PROTOCOL_VERSIONS) and we support."""
    offered = set()
    for part in env.get("PLUGIN_PROTOCOL_VERSIONS", "").split(","):
        if part.strip().isdigit():
            offered.add(int(part))
    common = offered & set(supported)
    if not common:
        raise HandshakeError(
            f"This provider speaks plugin protocol {sorted(supported)}, but the host offered "
            f"{sorted(offered) or 'none'}. Terraform 1.0 or newer is required.\n"
        )
    return max(common)


def make_socket_dir() -> tuple[str, str]:
    """A fresh 0700 directory and the socket path inside it: only our user can connect."""
    directory = tempfile.mkdtemp(prefix="tfplugin-")
    os.chmod(directory, 0o700)
    return directory, os.path.join(directory, "plugin.sock")


@dataclass(frozen=True)
class Certificate:
    cert_pem: bytes
    key_pem: bytes
    der: bytes


def generate_certificate() -> Certificate:
    """A fresh self-signed ECDSA P-256 server certificate for "localhost".

    go-plugin (AutoMTLS) pins exactly this certificate as its root CA, so it is
    generated per start and never stored. P-256 keygen takes about a millisecond.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "riconnect"),
            x509.NameAttribute(NameOID.COMMON_NAME, "localhost"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))  # tolerate clock skew
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=True,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    return Certificate(
        cert_pem=cert.public_bytes(serialization.Encoding.PEM),
        key_pem=key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        der=cert.public_bytes(serialization.Encoding.DER),
    )


def handshake_line(protocol: int, socket_path: str, cert_der: bytes | None) -> str:
    # go-plugin decodes the certificate with unpadded standard base64: strip the '='.
    cert = base64.b64encode(cert_der).decode().rstrip("=") if cert_der else ""
    line = f"{CORE_PROTOCOL_VERSION}|{protocol}|unix|{socket_path}|grpc"
    return f"{line}|{cert}\n" if cert else f"{line}\n"


def fail(error: HandshakeError) -> None:
    sys.stderr.write(str(error))
    sys.stderr.flush()
    raise SystemExit(1)
