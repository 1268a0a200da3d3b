"""Signed S3 requests and presigned URLs made by botocore (boto3's S3 client), as JSON.

Reads {"endpoint", "access_key_id", "secret_access_key", "session_token"} on standard input and
prints a list of {"name", "method", "url", "headers"}: the requests exactly as botocore would
send them (captured before sending, nothing reaches the network) and presigned URLs (headers
empty). SigV4VerificationTest checks that the gateway verifies every one.
"""
import json
import sys

import boto3
from botocore.config import Config

args = json.load(sys.stdin)


class Captured(Exception):
    pass


captured = []


def capture(request, **kwargs):
    headers = {}
    for name, value in request.headers.items():
        headers[name] = value.decode() if isinstance(value, bytes) else value
    captured.append({"method": request.method, "url": request.url, "headers": headers})
    raise Captured()


session = boto3.session.Session(
    aws_access_key_id=args["access_key_id"],
    aws_secret_access_key=args["secret_access_key"],
    aws_session_token=args["session_token"],
    region_name="us-east-1",
)
s3 = session.client(
    "s3",
    endpoint_url=args["endpoint"],
    config=Config(signature_version="s3v4", s3={"addressing_style": "path"},
                  retries={"max_attempts": 1}),
)
s3.meta.events.register("before-send", capture)

calls = [
    ("put unicode key", lambda: s3.put_object(Bucket="data", Key="unicodé/ключ.txt", Body=b"hi",
                                               ContentType="text/plain",
                                               Metadata={"note": "  spaced   out  "})),
    ("get key with spaces and plus", lambda: s3.get_object(Bucket="data", Key="dir/a b+c.txt")),
    ("get key with literal %2F and tilde", lambda: s3.get_object(Bucket="data",
                                                                 Key="odd/100%2F~x.txt")),
    ("get key with sub-delims", lambda: s3.get_object(Bucket="data", Key="q/it's (1)*!$,;=@.txt")),
    ("head with range", lambda: s3.get_object(Bucket="data", Key="k", Range="bytes=0-1")),
    ("list with prefix", lambda: s3.list_objects_v2(Bucket="data", Prefix="a b+c/ü", Delimiter="/")),
    ("create multipart", lambda: s3.create_multipart_upload(Bucket="data", Key="big.bin")),
    ("delete", lambda: s3.delete_object(Bucket="data", Key="dir/a b+c.txt")),
]
out = []
for name, call in calls:
    try:
        call()
    except Captured:
        request = captured.pop()
        request["name"] = "botocore " + name
        out.append(request)

for name, method, params in [
    ("presigned get", "get_object", {"Bucket": "data", "Key": "dir/a b+c ü.txt"}),
    ("presigned put", "put_object", {"Bucket": "data", "Key": "up/load me.txt"}),
]:
    url = s3.generate_presigned_url(method, Params=params, ExpiresIn=600)
    out.append({"name": "botocore " + name, "method": "GET" if method == "get_object" else "PUT",
                "url": url, "headers": {}})

json.dump(out, sys.stdout)
