/**
 * Where digests and log files are read from: the archive bucket (S3Source) or a copy of it on disk
 * (LocalSource). The validator only sees this interface, so the nightly check and the forensic CLI
 * run the same code. "Not found" is an answer (a deleted object); any other failure throws
 * SourceReadError, which becomes an ERROR, never a PASS.
 */
import type { Readable } from "node:stream";
import type { ErrorKind } from "../model";
import type { PublicKeyEntry } from "./keys";

export interface ObjectRef {
  bucket: string;
  key: string;
}

export type Fetched<T> = { found: true; value: T } | { found: false };

export interface DigestObject {
  /** The gzip'd object as stored. */
  body: Buffer;
  /** x-amz-meta-* of the object, without the prefix: signature, signature-algorithm. */
  metadata: Record<string, string>;
}

export interface IntegritySource {
  /** The bucket the trail writes to. */
  readonly bucket: string;
  /** Every key under `prefix` (a day folder), in S3's order. */
  listKeys(prefix: string): AsyncIterable<string>;
  /** The next path segments under `prefix` (S3 CommonPrefixes with Delimiter "/"): accounts, regions. */
  listFolders(prefix: string): AsyncIterable<string>;
  getDigest(ref: ObjectRef): Promise<Fetched<DigestObject>>;
  /** The gzip'd log file as a stream, never read whole. */
  openLog(ref: ObjectRef): Promise<Fetched<Readable>>;
  /** ListPublicKeys of `region` for [from, to]. */
  publicKeys(region: string, from: Date, to: Date): Promise<PublicKeyEntry[]>;
}

/** A read that failed for another reason than "no such object": the validation is incomplete. */
export class SourceReadError extends Error {
  override name = "SourceReadError";
  constructor(
    /** The underlying error's name (an SDK error name such as AccessDenied, or a Node code such as EACCES). */
    readonly errorName: string,
    readonly operation: string,
    readonly target: string,
    message: string,
    /** What kind of failure (agent/aws/error-kind.ts) and how hard the SDK tried, when an SDK call failed. */
    readonly failure?: { kind: ErrorKind; attempts?: number; httpStatus?: number },
  ) {
    super(`${operation} ${target} failed with ${errorName}: ${message}`);
  }
}
