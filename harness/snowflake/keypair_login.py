"""Checks a SNOWFLAKE_JWT login the way Snowflake would, as far as a stand-in can.

fakesnow accepts any credentials. Snowflake rejects a key-pair login whose JWT is malformed,
expired, or whose claims do not name the account and user logging in; and it verifies the
signature against the user's registered public key. The stand-in does the same checks, and
verifies the signature for users with a registered key (--user-key USER=FILE at start, or
ALTER USER … SET RSA_PUBLIC_KEY[_2] = '…'); other users pass on well-formed claims alone,
since fakesnow has no users.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import time
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

# user (upper case) -> {"RSA_PUBLIC_KEY" | "RSA_PUBLIC_KEY_2": key}; two slots, as Snowflake has, for rotation
UserKeys = dict[str, dict[str, rsa.RSAPublicKey]]


@dataclass
class LoginRejected(Exception):
    code: str
    message: str


# Snowflake's own codes for these failures
JWT_INVALID = "390144"


def _b64url(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def fingerprint(public_key: rsa.RSAPublicKey) -> str:
    der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return "SHA256:" + base64.b64encode(hashlib.sha256(der).digest()).decode()


def load_public_key(path: str) -> rsa.RSAPublicKey:
    with open(path, "rb") as f:
        key = serialization.load_pem_public_key(f.read())
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError(f"{path}: not an RSA public key")
    return key


def check_jwt_login(data: dict[str, Any], user_keys: UserKeys, now: float | None = None) -> None:
    """Raise LoginRejected unless data (the login-request body's `data`) carries a valid JWT."""
    token = data.get("TOKEN")
    if not isinstance(token, str) or token.count(".") != 2:
        raise LoginRejected(JWT_INVALID, "JWT token is invalid: no token in the login request.")
    header_b64, payload_b64, signature_b64 = token.split(".")
    try:
        header = json.loads(_b64url(header_b64))
        claims = json.loads(_b64url(payload_b64))
        signature = _b64url(signature_b64)
    except ValueError:
        raise LoginRejected(JWT_INVALID, "JWT token is invalid: not a JSON Web Token.") from None
    if header.get("alg") != "RS256":
        raise LoginRejected(JWT_INVALID, f"JWT token is invalid: algorithm {header.get('alg')!r}, expected RS256.")

    account = str(data.get("ACCOUNT_NAME") or "").upper()
    user = str(data.get("LOGIN_NAME") or "").upper()
    subject = f"{account}.{user}"
    if claims.get("sub") != subject:
        raise LoginRejected(JWT_INVALID, f"JWT token is invalid: subject {claims.get('sub')!r}, expected {subject!r}.")
    issuer = str(claims.get("iss") or "")
    if not issuer.startswith(subject + ".SHA256:"):
        raise LoginRejected(JWT_INVALID, "JWT token is invalid: issuer must be ACCOUNT.USER.SHA256:<public key fingerprint>.")

    # the Node driver puts milliseconds in iat/exp; other drivers use seconds
    exp = claims.get("exp")
    if not isinstance(exp, (int, float)):
        raise LoginRejected(JWT_INVALID, "JWT token is invalid: no expiry.")
    exp_seconds = exp / 1000 if exp > 1e11 else exp
    if exp_seconds < (now if now is not None else time.time()):
        raise LoginRejected(JWT_INVALID, "JWT token is invalid: expired.")

    keys = list(user_keys.get(user, {}).values())
    if not keys:
        return
    key = next((k for k in keys if issuer == f"{subject}.{fingerprint(k)}"), None)
    if key is None:
        raise LoginRejected(JWT_INVALID, f"JWT token is invalid: the public key fingerprint matches none of user {user}'s registered keys.")
    try:
        key.verify(signature, f"{header_b64}.{payload_b64}".encode(), padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        raise LoginRejected(JWT_INVALID, "JWT token is invalid: bad signature.") from None


ALTER_USER_KEY = re.compile(
    r"""^\s*ALTER\s+USER\s+(?:IF\s+EXISTS\s+)?(?P<user>"[^"]+"|[A-Za-z_][\w$]*)\s+"""
    r"""(?P<op>SET|UNSET)\s+(?P<slot>RSA_PUBLIC_KEY(?:_2)?)\b\s*(?:=\s*'(?P<key>[^']*)')?\s*;?\s*$""",
    re.IGNORECASE,
)


def alter_user_key(sql: str, user_keys: UserKeys) -> str | None:
    """Apply `ALTER USER u SET|UNSET RSA_PUBLIC_KEY[_2] …`; None when sql is not that statement.

    Raises ValueError for a key that is not a base64 DER (or PEM) RSA public key.
    """
    m = ALTER_USER_KEY.match(sql)
    if not m:
        return None
    raw_user = m["user"]
    user = raw_user[1:-1] if raw_user.startswith('"') else raw_user.upper()
    slot = m["slot"].upper()
    if m["op"].upper() == "UNSET":
        user_keys.get(user, {}).pop(slot, None)
        return user
    if m["key"] is None:
        raise ValueError(f"ALTER USER {user} SET {slot} needs a value: {slot} = '<base64 public key>'")
    user_keys.setdefault(user, {})[slot] = public_key_from_text(m["key"])
    return user


def public_key_from_text(text: str) -> rsa.RSAPublicKey:
    """The key as Snowflake takes it: the base64 body of the PEM (header lines tolerated)."""
    body = "".join(line for line in text.strip().splitlines() if not line.startswith("-----"))
    try:
        key = serialization.load_der_public_key(base64.b64decode("".join(body.split()), validate=True))
    except ValueError:
        raise ValueError("not a base64 DER RSA public key") from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError("not an RSA public key")
    return key
