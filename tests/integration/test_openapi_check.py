"""The OpenAPI response check (openapi_check.py) itself. Every other test relies on it to fail
when the server answers something the served document does not describe; a check that
accepted everything would let all of them pass. So: real answers pass, and answers the
document does not describe, fed to the same check, are reported."""
import copy
import json

import pytest

import openapi_check
from openapi_check import ContractViolation, Document
from shopd import new_customer


def problem(status, code):
    return json.dumps({"type": f"urn:shopd:problem:{code}", "title": code, "status": status,
                       "detail": code, "code": code}).encode()


@pytest.fixture
def me(server):
    """The served document, and a real, valid answer of GET /api/v1/users/me."""
    _, token, _, _ = new_customer(server)
    r = server.get("/api/v1/users/me", token=token)  # checked by Server.request on the way
    assert r.status == 200, r
    return openapi_check.document_for(server), r


def test_a_real_answer_passes(me):
    doc, r = me
    doc.check("GET", "/api/v1/users/me", r.status, r.headers, r.content)


@pytest.mark.parametrize("change, reported", [
    (lambda user: user.update(nickname="extra"), "Additional properties"),
    (lambda user: user.update(email=5), "is not of type 'string'"),
    (lambda user: user.pop("email"), "'email' is a required property"),
])
def test_a_body_the_schema_does_not_describe_is_reported(me, change, reported):
    doc, r = me
    user = json.loads(r.content)
    change(user)
    with pytest.raises(ContractViolation, match=reported):
        doc.check("GET", "/api/v1/users/me", 200, r.headers, json.dumps(user).encode())


def test_an_undocumented_status_is_reported(me):
    doc, _ = me
    headers = {"content-type": "application/problem+json"}
    with pytest.raises(ContractViolation, match="status 418 is not among the documented responses"):
        doc.check("GET", "/api/v1/users/me", 418, headers, problem(418, "teapot"))


def test_a_missing_required_header_a_wrong_content_type_and_a_wrong_problem_status_are_reported(me):
    doc, r = me
    problem_json = {"content-type": "application/problem+json"}
    # 429 declares Retry-After as required.
    with pytest.raises(ContractViolation, match="required header Retry-After is missing"):
        doc.check("GET", "/api/v1/users/me", 429, problem_json, problem(429, "rate_limited"))
    doc.check("GET", "/api/v1/users/me", 429, {**problem_json, "retry-after": "1"}, problem(429, "rate_limited"))
    with pytest.raises(ContractViolation, match="Content-Type 'text/html'"):
        doc.check("GET", "/api/v1/users/me", 200, {**r.headers, "content-type": "text/html"}, r.content)
    with pytest.raises(ContractViolation, match="is not the HTTP status"):
        doc.check("GET", "/api/v1/users/me", 429, {**problem_json, "retry-after": "1"}, problem(400, "rate_limited"))


def test_an_operation_the_document_does_not_have_is_reported(me):
    doc, r = me
    with pytest.raises(ContractViolation, match="no such operation"):
        doc.check("GET", "/api/v1/no-such-route", 200, r.headers, r.content)
    with pytest.raises(ContractViolation, match="has no DELETE operation"):
        doc.check("DELETE", "/api/v1/users/me/addresses", 200, r.headers, r.content)


def test_server_request_fails_on_an_answer_its_document_does_not_describe(server):
    """The whole path every test takes: Server.request checks the answer and raises. The
    document is the served one with /healthz's body closed to the one field it has not."""
    doc = openapi_check.document_for(server)
    tampered = copy.deepcopy(doc.doc)
    schema = tampered["paths"]["/healthz"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    schema.update(required=["uptime"], additionalProperties=False,
                  properties={"uptime": {"type": "integer"}})
    start = len(openapi_check.violations)
    server._openapi_document = Document(tampered)
    try:
        with pytest.raises(ContractViolation, match="GET /healthz -> 200"):
            server.get("/healthz")
        assert len(openapi_check.violations) == start + 1
        assert server.get("/healthz", check_contract=False).status == 200
    finally:
        server._openapi_document = doc
        # Provoked on purpose: conftest's safety net must not fail this test for them.
        del openapi_check.violations[start:]
    assert server.get("/healthz").status == 200
