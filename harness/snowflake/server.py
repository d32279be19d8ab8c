"""sfpipe's Snowflake protocol stand-in: fakesnow's Starlette app, wrapped in-process.

What the wrapper adds to fakesnow, so the Node snowflake-sdk can use it:
- SELECT results re-encoded from Arrow (rowsetBase64) to JSON rowsets (json_rowsets.py),
  with the output-format parameters a real login returns;
- SNOWFLAKE_JWT logins checked (keypair_login.py) instead of accepting anything, and
  ALTER USER … SET|UNSET RSA_PUBLIC_KEY[_2] registering the keys they are checked against;
- an unsupported statement answers at once with a Snowflake error instead of HTTP 500
  (the driver retries 5xx with backoff);
- GET /queries/{id}/result (the driver re-fetches a result after a hiccup), a no-op
  /telemetry/send, and GET /sfpipe/health for the harness's readiness probe.

Run: python server.py --host 127.0.0.1 --port 18085 [--user-key USER=public_key.pem …]
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import json
import logging
import os
import sys
import uuid
from collections import OrderedDict
from typing import Any

# logs go to the harness's log file; keep fakesnow's warnings about Arrow copies out of it
import warnings

warnings.filterwarnings("ignore", message="Arrow output on a DB-API result")

import uvicorn  # noqa: E402
from starlette.applications import Starlette  # noqa: E402
from starlette.requests import Request  # noqa: E402
from starlette.responses import JSONResponse, Response  # noqa: E402
from starlette.routing import Route  # noqa: E402

from json_rowsets import read_ipc, to_json_rowset  # noqa: E402
from keypair_login import LoginRejected, UserKeys, alter_user_key, check_jwt_login, load_public_key  # noqa: E402

# the module, not fakesnow.server() (the package's function of the same name)
fakesnow_server = importlib.import_module("fakesnow.server")
log = logging.getLogger("sfpipe.snowflake")

# Snowflake's defaults, as a real login returns them; the driver formats toString() with them
OUTPUT_FORMATS = [
    {"name": "TIMEZONE", "value": "Etc/UTC"},
    {"name": "TIMESTAMP_OUTPUT_FORMAT", "value": "YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM"},
    {"name": "TIMESTAMP_NTZ_OUTPUT_FORMAT", "value": "YYYY-MM-DD HH24:MI:SS.FF3"},
    {"name": "TIMESTAMP_LTZ_OUTPUT_FORMAT", "value": ""},
    {"name": "TIMESTAMP_TZ_OUTPUT_FORMAT", "value": ""},
    {"name": "DATE_OUTPUT_FORMAT", "value": "YYYY-MM-DD"},
    {"name": "TIME_OUTPUT_FORMAT", "value": "HH24:MI:SS"},
    {"name": "BINARY_OUTPUT_FORMAT", "value": "HEX"},
]
# session parameters a client sets at login that shape how it decodes results
ECHOED_SESSION_PARAMETERS = ("JS_TREAT_INTEGER_AS_BIGINT",)
UNSUPPORTED = "000002"  # Snowflake's "Unsupported feature" code

user_keys: UserKeys = {}
session_parameters: dict[str, list[dict[str, Any]]] = {}  # session token -> echoed parameters
recent_results: OrderedDict[str, dict[str, Any]] = OrderedDict()  # queryId -> JSON response
RECENT_RESULTS_MAX = 200


async def json_body(request: Request) -> dict[str, Any]:
    # Starlette caches the body, so fakesnow's handler can read it again
    body = await request.body()
    if request.headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return json.loads(body)


def error(code: str, message: str, status: int = 200, sql_state: str | None = None) -> JSONResponse:
    data = {"errorCode": code, **({"sqlState": sql_state} if sql_state else {})}
    return JSONResponse({"data": data, "code": code, "message": message, "success": False}, status_code=status)


def session_token(request: Request) -> str:
    # the driver sends: Authorization: Snowflake Token="<token>"
    return request.headers.get("Authorization", "")[17:-1]


def status_result(message: str) -> JSONResponse:
    """A one-row `status` result, as Snowflake answers DDL."""
    rowtype = [{"name": "status", "database": "", "schema": "", "table": "", "nullable": True, "type": "text",
                "byteLength": 16777216, "length": 16777216, "scale": None, "precision": None, "collation": None}]
    data = {"rowtype": rowtype, "rowset": [[message]], "total": 1, "returned": 1, "queryResultFormat": "json",
            "version": 1, "queryId": str(uuid.uuid4()), "statementTypeId": 0x6000, "parameters": OUTPUT_FORMATS}
    return JSONResponse({"data": data, "success": True})


async def login_request(request: Request) -> Response:
    data = (await json_body(request)).get("data") or {}
    data.setdefault("SESSION_PARAMETERS", {})  # fakesnow reads it unconditionally
    if str(data.get("AUTHENTICATOR", "")).upper() == "SNOWFLAKE_JWT":
        try:
            check_jwt_login(data, user_keys)
        except LoginRejected as e:
            log.info("login rejected for %s: %s", data.get("LOGIN_NAME"), e.message)
            return error(e.code, e.message)
    raw = json.dumps({"data": data}).encode()
    if request.headers.get("Content-Encoding") == "gzip":
        raw = gzip.compress(raw)
    request._body = raw  # noqa: SLF001 - fakesnow's handler reads this cached body
    response = await fakesnow_server.login_request(request)
    body = json.loads(bytes(response.body))
    if body.get("success"):
        token = body["data"]["token"]
        requested = data["SESSION_PARAMETERS"]
        session_parameters[token] = [{"name": n, "value": requested[n]} for n in ECHOED_SESSION_PARAMETERS if n in requested]
        # fakesnow sends 0 (the Python connector reads that as "bind inline"); the Node driver
        # reads it as "stage every array bind", which fakesnow cannot: use Snowflake's default
        params_out = [p for p in body["data"].get("parameters", []) if p["name"] != "CLIENT_STAGE_ARRAY_BINDING_THRESHOLD"]
        params_out.append({"name": "CLIENT_STAGE_ARRAY_BINDING_THRESHOLD", "value": 65280})
        body["data"]["parameters"] = params_out + OUTPUT_FORMATS + session_parameters[token]
        body["data"].setdefault("masterToken", token)
        body["data"].setdefault("validityInSeconds", 3600)
        body["data"].setdefault("masterValidityInSeconds", 14400)
    return JSONResponse(body, status_code=response.status_code)


async def query_request(request: Request) -> Response:
    sql_text = str((await json_body(request)).get("sqlText", ""))
    if session_token(request) in fakesnow_server.sessions:
        try:
            user = alter_user_key(sql_text, user_keys)
        except ValueError as e:
            return error("001003", f"SQL compilation error: invalid RSA public key: {e}", sql_state="42000")
        if user is not None:
            log.info("registered key-pair keys for %s: %s", user, sorted(user_keys.get(user, {})))
            return status_result("Statement executed successfully.")
    response = await fakesnow_server.query_request(request)
    body = json.loads(bytes(response.body))
    if response.status_code >= 500 or not body.get("success"):
        if response.status_code >= 500:
            # fakesnow could not run it (unsupported syntax or feature): answer like Snowflake, at once.
            # Name only the statement's leading words: the rest may hold a literal secret.
            kind = " ".join(sql_text.split()[:2]).upper()
            return error(UNSUPPORTED, f"Unsupported feature in the local Snowflake stand-in (fakesnow): a {kind} … statement (details in its log)")
        return JSONResponse(body, status_code=response.status_code)

    data = body.get("data") or {}
    if data.get("queryResultFormat") == "arrow":
        try:
            data["rowset"] = to_json_rowset(read_ipc(data.pop("rowsetBase64", "")), data.get("rowtype") or [])
        except Exception as e:  # noqa: BLE001 - a 500 would make the driver retry with backoff
            log.exception("could not re-encode the result of %r", sql_text[:200])
            return error(UNSUPPORTED, f"The local Snowflake stand-in could not encode this result as JSON ({type(e).__name__}: {e})")
        data["queryResultFormat"] = "json"
    if "rowset" in data:
        data.setdefault("returned", len(data["rowset"]))
        data.setdefault("version", 1)
        token = session_token(request)
        known = {p["name"] for p in OUTPUT_FORMATS}
        data["parameters"] = (
            [p for p in data.get("parameters", []) if p["name"] not in known] + OUTPUT_FORMATS + session_parameters.get(token, [])
        )
    if query_id := data.get("queryId"):
        recent_results[query_id] = body
        while len(recent_results) > RECENT_RESULTS_MAX:
            recent_results.popitem(last=False)
    return JSONResponse(body)


async def query_result(request: Request) -> Response:
    body = recent_results.get(request.path_params["query_id"])
    if body is None:
        return error("000709", f"Statement {request.path_params['query_id']} not found", status=200)
    return JSONResponse(body)


async def session(request: Request) -> Response:
    response = await fakesnow_server.session(request)
    if request.query_params.get("delete"):
        session_parameters.pop(session_token(request), None)
    return response


async def telemetry(_request: Request) -> Response:
    return JSONResponse({"success": True, "data": None})


async def health(_request: Request) -> Response:
    return JSONResponse({"ok": True, "service": "sfpipe-snowflake-standin", "pid": os.getpid()})


def build_app() -> Starlette:
    ours = {
        "/session/v1/login-request": login_request,
        "/queries/v1/query-request": query_request,
        "/session": session,
    }
    routes = [Route(r.path, ours.get(r.path, r.endpoint), methods=list(r.methods or [])) for r in fakesnow_server.routes]
    routes += [
        Route("/queries/{query_id}/result", query_result, methods=["GET"]),
        Route("/telemetry/send", telemetry, methods=["POST"]),
        Route("/sfpipe/health", health, methods=["GET"]),
    ]
    return Starlette(routes=routes)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--user-key", action="append", default=[], metavar="USER=PUBLIC_KEY_PEM")
    args = parser.parse_args(argv)
    if args.host not in ("127.0.0.1", "::1", "localhost"):
        parser.error("the stand-in listens on loopback only")
    for spec in args.user_key:
        user, _, path = spec.partition("=")
        user_keys.setdefault(user.upper(), {})["RSA_PUBLIC_KEY"] = load_public_key(path)

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # fakesnow borrows uvicorn's handlers and also propagates to root: log each line once, timestamped
    logging.getLogger("fakesnow.server").handlers = []
    log.info("listening on http://%s:%d (users with registered public keys: %s)", args.host, args.port, sorted(user_keys) or "none")
    uvicorn.run(build_app(), host=args.host, port=args.port, log_level="info", access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
