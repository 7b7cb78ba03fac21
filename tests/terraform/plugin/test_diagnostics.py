from __future__ import annotations

from tfplugin_proto import tfplugin6_0_pb2 as pb

from riconnect.terraform.plugin import DiagnosticError, Diagnostics, Key, Severity
from riconnect.terraform.plugin.diagnostics import exception_to_diagnostic
from riconnect.terraform.plugin.tfplugin6 import encode_diagnostic, encode_path


def test_exception_becomes_error_with_class_in_detail() -> None:
    d = exception_to_diagnostic(TimeoutError("VPC vpc-1 not Available after 600 s"))
    assert d.severity is Severity.ERROR
    assert d.summary == "VPC vpc-1 not Available after 600 s"
    assert "TimeoutError" in d.detail and "TF_LOG" in d.detail
    assert d.path is None


def test_exception_without_message_uses_class_name() -> None:
    assert exception_to_diagnostic(KeyError()).summary == "KeyError"


def test_diagnostic_error_keeps_summary_detail_and_path() -> None:
    d = exception_to_diagnostic(DiagnosticError("Bad CIDR", "10.0.0.0/33", ("cidr_block",)))
    assert (d.summary, d.detail, d.path) == ("Bad CIDR", "10.0.0.0/33", ("cidr_block",))


def test_collection() -> None:
    diags = Diagnostics()
    assert not diags and not diags.has_errors
    diags.warning("careful")
    assert diags and not diags.has_errors
    diags.error("broken", path=("a",))
    diags.add_exception(ValueError("bad"))
    assert diags.has_errors and len(diags) == 3
    assert [d.severity for d in diags] == [Severity.WARNING, Severity.ERROR, Severity.ERROR]


def test_path_steps_on_the_wire() -> None:
    path = encode_path(("endpoint", 2, "tags", Key("env")))
    assert [s.WhichOneof("selector") for s in path.steps] == [
        "attribute_name",
        "element_key_int",
        "attribute_name",
        "element_key_string",
    ]
    assert path.steps[1].element_key_int == 2 and path.steps[3].element_key_string == "env"


def test_diagnostic_message() -> None:
    diags = Diagnostics()
    diags.warning("w", "detail")
    diags.error("e", path=("x",))
    warn, err = (encode_diagnostic(d) for d in diags)
    assert warn.severity == pb.Diagnostic.WARNING and not warn.HasField("attribute")
    assert err.severity == pb.Diagnostic.ERROR and err.attribute.steps[0].attribute_name == "x"
