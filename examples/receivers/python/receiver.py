"""A gridhook callback receiver in Python, standard library only.

Verifies each delivery's Standard Webhooks signature (HMAC-SHA256 of
"webhook-id.webhook-timestamp.body" under the base64 key after "whsec_"),
refuses timestamps more than five minutes from now, and answers at once.

    WEBHOOK_SECRET=whsec_... PORT=9000 python3 receiver.py

WEBHOOK_SECRET may hold several secrets separated by spaces (the old and the
new one while you rotate yours).
"""

import base64
import hashlib
import hmac
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOLERANCE_SECONDS = 5 * 60
MAX_BODY_BYTES = 64 * 1024
SECRETS = os.environ["WEBHOOK_SECRET"].split()


class Refused(Exception):
    def __init__(self, status, reason):
        super().__init__(reason)
        self.status = status


def secret_key(secret):
    return base64.b64decode(secret[len("whsec_"):] if secret.startswith("whsec_") else secret)


def verify(headers, body):
    """Answers the payload, or raises Refused naming why."""
    webhook_id = headers.get("webhook-id")
    timestamp = headers.get("webhook-timestamp")
    signatures = headers.get("webhook-signature")
    if not webhook_id or not timestamp or not signatures:
        raise Refused(401, "BadSignature: a webhook-id, webhook-timestamp or webhook-signature header is missing")
    if not timestamp.isdigit():
        raise Refused(401, "BadSignature: webhook-timestamp is not whole seconds")
    if abs(time.time() - int(timestamp)) > TOLERANCE_SECONDS:
        raise Refused(401, "StaleTimestamp: webhook-timestamp is more than five minutes from now")
    signed = webhook_id.encode() + b"." + timestamp.encode() + b"." + body
    given = [entry.split(",", 1)[1] for entry in signatures.split(" ") if entry.startswith("v1,")]
    for secret in SECRETS:
        expected = base64.b64encode(hmac.new(secret_key(secret), signed, hashlib.sha256).digest()).decode()
        if any(hmac.compare_digest(expected, candidate) for candidate in given):
            break
    else:
        raise Refused(401, "BadSignature: no signature matches the secret")
    try:
        return json.loads(body)
    except ValueError:
        raise Refused(400, "MalformedBody: the body is not JSON")


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("content-length") or 0)
        if length > MAX_BODY_BYTES:
            return self.answer(413, {"error": "BodyTooLarge"})
        body = self.rfile.read(length)
        try:
            event = verify(self.headers, body)
        except Refused as refused:
            print(f"refused {refused}", flush=True)
            return self.answer(refused.status, {"error": str(refused)})
        print(
            f"verified webhook-id={self.headers['webhook-id']} eventId={event['eventId']} "
            f"callBackEvent={event['callBackEvent']} parcelId={event['parcelId']} "
            f"fileName={event['fileName']} isTest={str(event['isTest']).lower()}",
            flush=True,
        )
        self.answer(200, {"received": True})

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(os.environ.get("PORT", "9000"))), Handler)
    print(f"listening on http://127.0.0.1:{server.server_address[1]}/webhooks/ecgrid", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        sys.exit(0)
