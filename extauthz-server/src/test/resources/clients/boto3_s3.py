"""A boto3 program that knows nothing of the gateway.

boto3.client("s3") with no arguments: the endpoint, the region and the credentials (web identity:
AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE, traded at AWS_ENDPOINT_URL's STS endpoint) all come
from the environment, as deploy/clients/web-identity.env sets it.

    boto3_s3.py list-buckets
    boto3_s3.py put FILE BUCKET KEY           one PutObject
    boto3_s3.py upload FILE BUCKET KEY        upload_file: multipart above 8 MiB, 8 MiB parts
    boto3_s3.py list BUCKET PREFIX
    boto3_s3.py get BUCKET KEY FILE
    boto3_s3.py delete BUCKET KEY

A refusal prints botocore's message (which names the S3 error code) and exits with 1.
"""
import sys

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError

MIB = 1024 * 1024


def run(s3, command, *args):
    if command == "list-buckets":
        for bucket in s3.list_buckets()["Buckets"]:
            print(bucket["Name"])
    elif command == "put":
        path, bucket, key = args
        with open(path, "rb") as body:
            s3.put_object(Bucket=bucket, Key=key, Body=body)
    elif command == "upload":
        path, bucket, key = args
        s3.upload_file(path, bucket, key, Config=TransferConfig(
            multipart_threshold=8 * MIB, multipart_chunksize=8 * MIB))
    elif command == "list":
        bucket, prefix = args
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                print(item["Size"], item["Key"])
    elif command == "get":
        bucket, key, path = args
        s3.download_file(bucket, key, path)
    elif command == "delete":
        bucket, key = args
        s3.delete_object(Bucket=bucket, Key=key)
    else:
        sys.exit(f"unknown command {command}")


if __name__ == "__main__":
    try:
        run(boto3.client("s3"), *sys.argv[1:])
    except ClientError as error:
        print(error, file=sys.stderr)
        sys.exit(1)
