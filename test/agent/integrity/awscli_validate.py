"""Runs awscli's own CloudTrail validator over a local copy of an archive bucket.

Everything from create_digest_traverser on is awscli's code (DigestTraverser, DigestProvider,
Sha256RSADigestValidator, CloudTrailValidateLogs._call/_download_log). Only the botocore clients are
replaced: S3 reads the local copy (each digest's metadata from <key>.meta.json, a missing key raises
the ClientError NoSuchKey that S3 would), CloudTrail answers DescribeTrails and ListPublicKeys from
the given trail and keys file, Organizations answers DescribeOrganization.

Usage: awscli_validate.py <dir> <bucket> <org-id> <account> <region> <trail-arn> <start> <end> <public-keys.json>
Prints JSON: {"exit": <awscli's exit code>, "errors": [<stderr line>, ...], "stdout": "<summary>"}.
"""
import base64
import contextlib
import io
import json
import os
import sys

# awscli first: awscli 1.46 carries its own botocore, importable as `botocore` only once awscli is imported
# (awscli.TopLevelImportAliasFinder), and ClientError must be the class its validator catches.
from awscli.customizations.cloudtrail import validation
from botocore.exceptions import ClientError


class Body:
    def __init__(self, data):
        self._b = io.BytesIO(data)

    def read(self, n=-1):
        return self._b.read(n)


class Pages:
    def __init__(self, keys):
        self._keys = keys

    def search(self, expression):
        assert expression == "Contents[*].Key", expression
        return iter(self._keys)


class Paginator:
    def __init__(self, root):
        self._root = root

    def paginate(self, Bucket, Marker, Prefix):
        keys = []
        for dirpath, _, files in os.walk(self._root):
            for f in files:
                key = os.path.relpath(os.path.join(dirpath, f), self._root)
                if not key.endswith(".meta.json") and key.startswith(Prefix) and key > Marker:
                    keys.append(key)
        return Pages(sorted(keys))


class LocalS3:
    def __init__(self, root):
        self._root = root

    def get_bucket_location(self, Bucket):
        return {"LocationConstraint": None}

    def get_paginator(self, name):
        assert name == "list_objects", name
        return Paginator(self._root)

    def get_object(self, Bucket, Key):
        path = os.path.join(self._root, Key)
        if not os.path.isfile(path):
            raise ClientError({"Error": {"Code": "NoSuchKey", "Message": "The specified key does not exist."}}, "GetObject")
        meta = {}
        if os.path.isfile(path + ".meta.json"):
            with open(path + ".meta.json") as f:
                meta = json.load(f)
        with open(path, "rb") as f:
            return {"Body": Body(f.read()), "Metadata": meta}


class S3Provider:
    def __init__(self, root):
        self._s3 = LocalS3(root)

    def get_client(self, bucket_name):
        return self._s3


class CloudTrail:
    def __init__(self, trail_arn, bucket, keys_file):
        self._trail = {"TrailARN": trail_arn, "S3BucketName": bucket, "IsOrganizationTrail": True}
        self._keys_file = keys_file

    def describe_trails(self):
        return {"trailList": [self._trail]}

    def list_public_keys(self, StartTime, EndTime):
        with open(self._keys_file) as f:
            listed = json.load(f)["PublicKeyList"]
        # botocore decodes a blob from the wire's base64 once; the file holds the wire form.
        return {"PublicKeyList": [dict(k, Value=base64.b64decode(k["Value"])) for k in listed]}


class Organizations:
    def __init__(self, org_id):
        self._org_id = org_id

    def describe_organization(self):
        return {"Organization": {"Id": self._org_id}}


def main(root, bucket, org_id, account, region, trail_arn, start, end, keys_file):
    cmd = validation.CloudTrailValidateLogs(session=None)
    cmd.trail_arn = trail_arn
    cmd.is_verbose = False
    cmd.s3_bucket = None
    cmd.s3_prefix = None
    cmd.account_id = account
    cmd.start_time = validation.normalize_date(validation.parse_date(start))
    cmd.end_time = validation.normalize_date(validation.parse_date(end))
    cmd._source_region = region
    cmd.s3_client_provider = S3Provider(root)
    cmd.cloudtrail_client = CloudTrail(trail_arn, bucket, keys_file)
    cmd.organization_client = Organizations(org_id)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        cmd._call()
    invalid = cmd._invalid_digests + cmd._invalid_backfill_digests + cmd._invalid_logs
    errors = [line for line in err.getvalue().splitlines() if line.strip()]
    print(json.dumps({"exit": 1 if invalid > 0 else 0, "errors": errors, "stdout": out.getvalue()}))


if __name__ == "__main__":
    main(*sys.argv[1:])
