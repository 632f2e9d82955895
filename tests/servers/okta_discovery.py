"""A stand-in for Okta's discovery endpoints, run as its own process on 127.0.0.1 by the tests.

    python -m tests.servers.okta_discovery [--tls CERT KEY]

It prints the base URL it listens on, then serves:

- the org authorization server at /.well-known/openid-configuration;
- the custom server "default" at /oauth2/default/..., which lists no groups scope;
- "nouserinfo", a custom server without a userinfo_endpoint;
- "mismatch", whose document names another issuer;
- "slow", which responds after 5 seconds;
- any other server ID with Okta's 404 error body.

The documents follow the shape of Okta's published metadata; values are fictional.
"""

import argparse
import json
import ssl
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ORG_SCOPES = ["openid", "email", "profile", "address", "phone", "offline_access", "groups", "device_sso"]
CUSTOM_SCOPES = ["openid", "profile", "email", "address", "phone", "offline_access"]
SUFFIX = "/.well-known/openid-configuration"


def document(base: str, server_id: str | None) -> dict:
    issuer = base if server_id is None else f"{base}/oauth2/{server_id}"
    prefix = f"{base}/oauth2/v1" if server_id is None else f"{issuer}/v1"
    return {
        "issuer": issuer,
        "authorization_endpoint": f"{prefix}/authorize",
        "token_endpoint": f"{prefix}/token",
        "userinfo_endpoint": f"{prefix}/userinfo",
        "jwks_uri": f"{prefix}/keys",
        "response_types_supported": ["code", "id_token", "code id_token", "code token", "id_token token", "code id_token token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ORG_SCOPES if server_id is None else CUSTOM_SCOPES,
        "claims_supported": ["iss", "ver", "sub", "aud", "iat", "exp", "jti", "auth_time", "amr", "idp", "nonce", "name",
                             "preferred_username", "email", "email_verified", "groups"],
    }


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        base = self.server.base_url
        path = self.path.split("?")[0]
        if not path.endswith(SUFFIX):
            return self.reply(404, {"errorCode": "E0000022", "errorSummary": "The endpoint does not support the provided HTTP method"})

        server_path = path[: -len(SUFFIX)]
        if server_path == "":
            return self.reply(200, document(base, None))
        if not server_path.startswith("/oauth2/"):
            return self.reply(404, {"errorCode": "E0000007", "errorSummary": "Not found: Resource not found"})

        server_id = server_path.removeprefix("/oauth2/")
        if server_id == "default":
            return self.reply(200, document(base, "default"))
        if server_id == "nouserinfo":
            body = document(base, "nouserinfo")
            del body["userinfo_endpoint"]
            return self.reply(200, body)
        if server_id == "mismatch":
            body = document(base, "mismatch")
            body["issuer"] = f"{base}/oauth2/default"
            return self.reply(200, body)
        if server_id == "slow":
            time.sleep(5)
            return self.reply(200, document(base, "slow"))
        summary = f"Not found: Resource not found: {server_id} (AuthorizationServer)"
        return self.reply(404, {"errorCode": "E0000007", "errorSummary": summary})

    def reply(self, status: int, body: dict):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    args = parser.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    scheme = "http"
    if args.tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*args.tls)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    server.base_url = f"{scheme}://127.0.0.1:{server.server_address[1]}"
    print(server.base_url, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    sys.exit(0)


if __name__ == "__main__":
    main()
