"""Checks every response the integration suite receives against the OpenAPI document the
server serves (`GET /api/v1/openapi.json`): a response the document does not describe fails
the test that received it.

What is checked, for the operation found by method and path template:
- the status has a response entry (the exact code, else its `4XX`-style range, else
  `default`);
- the `Content-Type` (parameters ignored) is one the entry declares, and an entry without
  `content` gets no body;
- a JSON body (`application/json`, `*/*+json`) validates against the entry's schema
  (JSON Schema 2020-12, as OpenAPI 3.1 says; `#/components/...` references resolved over the
  whole document), and a problem+json body's `status` is the HTTP status; other bodies
  (CSV, HTML, images, metrics) get only the content-type check;
- every header the entry declares `required` is present, and every declared header that is
  present matches its schema.
HEAD answers are checked as the GET operation without a body.

The answers the server makes before routing (431, 413, 400 `bad_request`) are listed once,
in the document's `x-shopd-transport-responses`, and are accepted on any request. Gateway
answers outside any operation are accepted, with a problem+json body when they have one:
404/405 for a path the document does not have at all, 405 (with `Allow`) for a method a
documented path does not have, and CORS preflights (OPTIONS with `Origin` and
`Access-Control-Request-Method`) answered 204.

The document is the served one, fetched once per server process. `SHOPD_OPENAPI_DOC=<file>`
replaces it with a document assembled from the source fragments (`assemble_openapi.py`), so
changes to them can be checked without a rebuild; its paths are limited to the ones the server
serves (a server started with fewer modules serves fewer).

`Server.request` (shopd.py) calls `check`; `check_contract=False` there opts one request out,
for the few tests that deliberately provoke answers outside the contract (say why beside it).
"""
import http.client
import json
import os
import threading
import urllib.parse

import jsonschema
from jsonschema import Draft202012Validator, RefResolver

DOC_ENV = "SHOPD_OPENAPI_DOC"
# Answers to any request, made before routing; the document lists them once, at its root.
TRANSPORT_EXT = "x-shopd-transport-responses"

_lock = threading.Lock()
_file_docs = {}          # (path, mtime) -> parsed JSON
_documents = {}          # cache key -> Document
violations = []          # every violation found in this process, for conftest's safety net


class ContractViolation(AssertionError):
    pass


def _split(path):
    """Path segments as the router sees them: empty ones dropped, each percent-decoded."""
    return [urllib.parse.unquote(s, errors="replace") for s in path.split("/") if s]


def _is_param(seg):
    return len(seg) > 2 and seg[0] == "{" and seg[-1] == "}"


def _media_type(value):
    return (value or "").split(";", 1)[0].strip().lower()


def _is_json(media):
    return media == "application/json" or media.endswith("+json")


class Document:
    def __init__(self, doc, served_paths=None):
        self.doc = doc
        paths = doc.get("paths", {})
        if served_paths is not None:
            paths = {p: item for p, item in paths.items() if p in served_paths}
        self.templates = [(p, [s for s in p.split("/") if s], item) for p, item in paths.items()]
        self.resolver = RefResolver.from_schema(doc)
        self._validators = {}

    # --- lookup ---
    def deref(self, obj):
        seen = 0
        while isinstance(obj, dict) and "$ref" in obj:
            ref = obj["$ref"]
            if not ref.startswith("#/"):
                raise ContractViolation(f"OpenAPI document: unsupported reference {ref}")
            obj = self.doc
            for part in ref[2:].split("/"):
                obj = obj[part.replace("~1", "/").replace("~0", "~")]
            seen += 1
            if seen > 20:
                raise ContractViolation(f"OpenAPI document: reference loop at {ref}")
        return obj

    def find(self, method, path):
        """(template, operation) for the request; operation None when the path is documented
        but not for this method; (None, None) when no documented path matches."""
        segs = _split(path.split("?", 1)[0])
        m = method.lower()
        best, best_score, path_found = None, -1, None
        for template, tsegs, item in self.templates:
            if len(tsegs) != len(segs):
                continue
            score, ok = 0, True
            for i, (t, s) in enumerate(zip(tsegs, segs)):
                if _is_param(t):
                    ok = s != ""
                else:
                    ok = t == s
                    # Earlier static segments weigh more, as in the router.
                    score += 1 << (16 - min(i, 16))
                if not ok:
                    break
            if not ok:
                continue
            path_found = path_found or template
            op = item.get(m)
            if op is None and m == "head":
                op = item.get("get")
            if op is None:
                continue
            if score > best_score:
                best, best_score = (template, op), score
        if best:
            return best
        return path_found, None

    def response_entry(self, op, status):
        responses = op.get("responses", {})
        for key in (str(status), f"{status // 100}XX", f"{status // 100}xx", "default"):
            if key in responses:
                return key, self.deref(responses[key])
        return None, None

    # --- validation ---
    def validator(self, schema):
        # Keyed by identity: every schema is a part of self.doc, which outlives the cache.
        v = self._validators.get(id(schema))
        if v is None:
            v = self._validators[id(schema)] = Draft202012Validator(schema, resolver=self.resolver)
        return v

    def schema_errors(self, schema, instance):
        errors = list(self.validator(schema).iter_errors(instance))
        if not errors:
            return None
        e = jsonschema.exceptions.best_match(errors)
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        return f"at {e.json_path}: {e.message} [schema {'/'.join(str(p) for p in e.schema_path)}]{more}"

    def problem_body_errors(self, status, headers, body):
        """For a gateway answer: a body, if any, is a problem+json Problem."""
        if not body:
            return None
        media = _media_type(headers.get("content-type"))
        if media != "application/problem+json":
            return f"Content-Type {headers.get('content-type')!r}, expected application/problem+json"
        try:
            instance = json.loads(body)
        except ValueError as e:
            return f"body is not JSON: {e}"
        err = self.problem_status_errors(status, instance)
        if err:
            return err
        schema = self.doc.get("components", {}).get("schemas", {}).get("Problem")
        return self.schema_errors(schema, instance) if schema else None

    def problem_status_errors(self, status, instance):
        if isinstance(instance, dict) and instance.get("status") != status:
            return f"problem+json `status` {instance.get('status')!r} is not the HTTP status"
        return None

    def check(self, method, path, status, headers, body, request_headers=None):
        """Raises ContractViolation when the document does not describe this answer.
        headers: lower-cased names; body: the bytes as sent."""
        method = method.upper()
        template, op = self.find(method, path)
        where = f"{method} {path} -> {status}"

        def fail(msg):
            raise ContractViolation(f"OpenAPI contract violation: {where}"
                                    f"{f' (operation {method} {template})' if op else ''}: {msg}")

        transport = self.deref(self.doc.get(TRANSPORT_EXT, {}).get("responses", {}).get(str(status)))
        if op is None:
            if transport is not None:
                return self.check_entry(fail, method, status, headers, body, transport, f"{TRANSPORT_EXT} {status}")
            req = {k.lower(): v for k, v in (request_headers or {}).items()}
            gateway = (template is None and status in (404, 405)) or (template is not None and status == 405)
            preflight = method == "OPTIONS" and "origin" in req and "access-control-request-method" in req
            if preflight and status == 204 and not body:
                return
            if not gateway:
                fail("the document has no such operation" if template is None
                     else f"the document's path {template} has no {method} operation")
            if status == 405 and not headers.get("allow"):
                fail("405 without Allow")
            err = self.problem_body_errors(status, headers, body)
            if err:
                fail(err)
            return

        key, entry = self.response_entry(op, status)
        if entry is None and transport is not None:
            key, entry = f"{TRANSPORT_EXT} {status}", transport
        if entry is None:
            fail(f"status {status} is not among the documented responses {sorted(op.get('responses', {}))}")
        self.check_entry(fail, method, status, headers, body, entry, key)

    def check_entry(self, fail, method, status, headers, body, entry, key):

        # Headers the entry declares.
        for name, h in (entry.get("headers") or {}).items():
            h = self.deref(h)
            value = headers.get(name.lower())
            if value is None:
                if h.get("required"):
                    fail(f"required header {name} is missing (response {key})")
                continue
            schema = h.get("schema")
            if schema:
                s = self.deref(schema)
                inst = value
                if s.get("type") == "integer":
                    try:
                        inst = int(value)
                    except ValueError:
                        pass
                err = self.schema_errors(schema, inst)
                if err:
                    fail(f"header {name}: {value!r}: {err}")

        if method == "HEAD" or status == 304:
            return  # no body
        content = entry.get("content") or {}
        ctype = headers.get("content-type")
        if not content:
            if body:
                fail(f"response {key} declares no content, got {len(body)} bytes of {ctype!r}")
            return
        media = _media_type(ctype)
        if not ctype:
            fail(f"no Content-Type; response {key} declares {sorted(content)}")
        declared = None
        for k in content:
            kk = _media_type(k)
            if kk == media or (kk.endswith("/*") and media.startswith(kk[:-1])) or kk == "*/*":
                declared = content[k]
                break
        if declared is None:
            fail(f"Content-Type {ctype!r} is not among {sorted(content)} (response {key})")
        if not _is_json(media):
            return
        schema = (declared or {}).get("schema")
        try:
            instance = json.loads(body)
        except ValueError as e:
            fail(f"body is not JSON ({e}): {body[:200]!r}")
        if media == "application/problem+json" and self.problem_status_errors(status, instance):
            fail(self.problem_status_errors(status, instance))
        if schema is None:
            return
        err = self.schema_errors(schema, instance)
        if err:
            fail(f"body {err} (response {key})")


def _load_file(path):
    mtime = os.stat(path).st_mtime_ns
    key = (os.path.abspath(path), mtime)
    if key not in _file_docs:
        with open(path, encoding="utf-8") as f:
            _file_docs[key] = json.load(f)
    return key, _file_docs[key]


def fetch_served(port, host="127.0.0.1", timeout=10):
    """The served document's text, fetched around the suite's own helpers."""
    c = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        c.request("GET", "/api/v1/openapi.json")
        r = c.getresponse()
        body = r.read()
        if r.status != 200:
            raise RuntimeError(f"GET /api/v1/openapi.json answered {r.status}")
        return body.decode()
    finally:
        c.close()


def document_for(server):
    """The Document for one server, fetched once per server process (kept on the object).
    Returns None while the server cannot be asked (not started, gone)."""
    doc = getattr(server, "_openapi_document", None)
    if doc is not None:
        return doc
    with _lock:
        doc = getattr(server, "_openapi_document", None)
        if doc is not None:
            return doc
        try:
            served_text = fetch_served(server.port)
        except (OSError, http.client.HTTPException, RuntimeError):
            return None
        path = os.environ.get(DOC_ENV)
        if path:
            fkey, parsed = _load_file(path)
            served_paths = frozenset(json.loads(served_text).get("paths", {}))
            key = ("file", fkey, served_paths)
            if key not in _documents:
                _documents[key] = Document(parsed, served_paths)
        else:
            key = ("served", served_text)
            if key not in _documents:
                _documents[key] = Document(json.loads(served_text))
        doc = _documents[key]
        try:
            server._openapi_document = doc
        except AttributeError:
            pass
        return doc


def prepare(server):
    """Fetches the server's document if not yet done; call before a request, while the
    server is surely up. Never raises."""
    try:
        document_for(server)
    except Exception:  # noqa: BLE001 - the request itself will tell what is wrong
        pass


def check(server, method, path, response, request_headers=None):
    """Raises ContractViolation (an AssertionError) when the document of `server` does not
    describe `response` (a shopd.Response) to `method path`."""
    doc = document_for(server)
    if doc is None:
        # The server went away after answering (a test stopping it); use any document this
        # process has for the same binary rather than checking nothing.
        with _lock:
            doc = max(_documents.values(), key=lambda d: len(d.templates), default=None)
        if doc is None:
            return
    try:
        doc.check(method, path, response.status, response.headers, response.content, request_headers)
    except ContractViolation as e:
        violations.append(str(e))
        raise
