/**
 * The archive bucket as the log auditor reads it: ListObjectsV2 per day folder, GetObject (digests
 * whole — a few KB — with their x-amz-meta-* metadata; log files as a stream), and CloudTrail
 * ListPublicKeys in each digest's region. S3 answers a deleted object with NoSuchKey (the auditor
 * holds s3:ListBucket; without it S3 would say AccessDenied, which stays an ERROR).
 */
import { ListPublicKeysCommand, type CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { GetObjectCommand, paginateListObjectsV2, type S3Client } from "@aws-sdk/client-s3";
import { Readable } from "node:stream";
import { classifyError } from "../aws/error-kind";
import type { PublicKeyEntry } from "./keys";
import { SourceReadError, type DigestObject, type Fetched, type IntegritySource, type ObjectRef } from "./source";

const NOT_FOUND = new Set(["NoSuchKey", "NotFound"]);

function wrap(err: unknown, operation: string, target: string): SourceReadError {
  const e = err instanceof Error ? err : new Error(String(err));
  return new SourceReadError(e.name, operation, target, e.message, classifyError(err));
}

export class S3Source implements IntegritySource {
  constructor(
    private readonly s3: S3Client,
    private readonly cloudTrailIn: (region: string) => CloudTrailClient,
    readonly bucket: string,
  ) {}

  async *listKeys(prefix: string): AsyncIterable<string> {
    try {
      for await (const page of paginateListObjectsV2({ client: this.s3 }, { Bucket: this.bucket, Prefix: prefix })) {
        for (const o of page.Contents ?? []) if (o.Key) yield o.Key;
      }
    } catch (err) {
      throw wrap(err, "ListObjectsV2", `s3://${this.bucket}/${prefix}`);
    }
  }

  async *listFolders(prefix: string): AsyncIterable<string> {
    try {
      for await (const page of paginateListObjectsV2(
        { client: this.s3 },
        { Bucket: this.bucket, Prefix: prefix, Delimiter: "/" },
      )) {
        for (const p of page.CommonPrefixes ?? []) if (p.Prefix) yield p.Prefix.slice(prefix.length).replace(/\/$/, "");
      }
    } catch (err) {
      throw wrap(err, "ListObjectsV2", `s3://${this.bucket}/${prefix}`);
    }
  }

  async getDigest(ref: ObjectRef): Promise<Fetched<DigestObject>> {
    try {
      const r = await this.s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key }));
      const body = Buffer.from((await r.Body?.transformToByteArray()) ?? new Uint8Array());
      return { found: true, value: { body, metadata: r.Metadata ?? {} } };
    } catch (err) {
      if (err instanceof Error && NOT_FOUND.has(err.name)) return { found: false };
      throw wrap(err, "GetObject", `s3://${ref.bucket}/${ref.key}`);
    }
  }

  async openLog(ref: ObjectRef): Promise<Fetched<Readable>> {
    try {
      const r = await this.s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key }));
      if (!(r.Body instanceof Readable))
        throw Object.assign(new Error("GetObject returned no stream body"), { name: "MalformedResponse" });
      return { found: true, value: r.Body };
    } catch (err) {
      if (err instanceof Error && NOT_FOUND.has(err.name)) return { found: false };
      throw wrap(err, "GetObject", `s3://${ref.bucket}/${ref.key}`);
    }
  }

  async publicKeys(region: string, from: Date, to: Date): Promise<PublicKeyEntry[]> {
    try {
      const r = await this.cloudTrailIn(region).send(new ListPublicKeysCommand({ StartTime: from, EndTime: to }));
      return r.PublicKeyList ?? [];
    } catch (err) {
      throw wrap(err, "ListPublicKeys", `CloudTrail in ${region}`);
    }
  }
}
