/**
 * Walks one account × region's digest chain backwards from the newest digest in the window, as
 * awscli's DigestTraverser._traverse_digest_chain does (a missing or invalid digest is reported
 * and the walk resumes at the next older listed digest), and is stricter where awscli is blind:
 * it compares each link with the real predecessor (hash, signature, contiguous times), reports
 * listed digests the chain never reaches, and requires the newest digest to be recent enough.
 */
import { s3Url, type Defect } from "./defects";
import { loadDigest, type VerifiedDigest } from "./digest-load";
import { isoSeconds, parseDigestKey } from "./format";
import type { PublicKeys } from "./keys";
import { listDigests, type ChainScope, type ListedDigest, type Window } from "./listing";
import type { IntegritySource, ObjectRef } from "./source";

export interface ChainResult {
  defects: Defect[];
  /** Digests whose signature verified; their log files are checked next. */
  verified: VerifiedDigest[];
}

export interface TailRule {
  /** The newest digest must be stamped at or after this time, else the tail was cut off. */
  notBefore: Date;
  /** Why, for the message (e.g. "the window ends at …", "the trail last delivered a digest at …"). */
  because: string;
}

interface Cursor {
  ref: ObjectRef;
  time: Date;
}

/** Stricter than awscli: a link whose quoted hash or signature is not the predecessor's, or whose times do not join. */
function linkDefects(newer: VerifiedDigest, older: VerifiedDigest): Defect[] {
  const object = s3Url(newer.ref.bucket, newer.ref.key);
  const out: Defect[] = [];
  if (newer.digest.previousDigestHashValue !== older.hash || newer.digest.previousDigestSignature !== older.signature) {
    out.push({
      kind: "chain-mismatch",
      object,
      message: `Digest file ${object}: its previousDigestHashValue/previousDigestSignature are not those of ${s3Url(older.ref.bucket, older.ref.key)}, the digest it points to`,
    });
  }
  if (Date.parse(newer.digest.digestStartTime) !== Date.parse(older.digest.digestEndTime)) {
    const span = { from: older.digest.digestEndTime, to: newer.digest.digestStartTime };
    out.push({
      kind: "chain-not-contiguous",
      object,
      span,
      message: `Digest file ${object}: starts at ${span.to} but its predecessor ${s3Url(older.ref.bucket, older.ref.key)} ends at ${span.from} (a digest skipped or reordered)`,
    });
  }
  return out;
}

export async function walkChain(
  source: IntegritySource,
  scope: ChainScope,
  w: Window,
  keys: PublicKeys,
  tail: TailRule,
): Promise<ChainResult> {
  const bucket = source.bucket;
  const listed = await listDigests(source, scope, w);
  const visited = new Set<string>();
  const defects: Defect[] = [tailDefect(bucket, scope, w, listed, tail)].filter((d): d is Defect => d !== undefined);
  const verified: VerifiedDigest[] = [];
  const olderListed = (t: Date): Cursor | undefined => {
    for (let i = listed.length - 1; i >= 0; i--) {
      const l = listed[i];
      if (!visited.has(l.key) && l.time < t) return { ref: { bucket, key: l.key }, time: l.time };
    }
    return undefined;
  };
  const newest = listed.at(-1);
  let cursor: Cursor | undefined = newest && { ref: { bucket, key: newest.key }, time: newest.time };
  let newer: VerifiedDigest | undefined;
  while (cursor) {
    visited.add(cursor.ref.key);
    const r = await loadDigest(source, cursor.ref, keys, scope.region);
    if (!r.ok) {
      defects.push(r.defect);
      [newer, cursor] = [undefined, olderListed(cursor.time)];
      continue;
    }
    const v = r.digest;
    if (newer) defects.push(...linkDefects(newer, v));
    verified.push(v);
    if (Date.parse(v.digest.digestStartTime) <= w.from.getTime()) break;
    const { previousDigestS3Bucket: pb, previousDigestS3Object: pk } = v.digest;
    if (!pb || !pk) {
      const next = olderListed(cursor.time);
      const span = { from: isoSeconds(next?.time ?? w.from), to: v.digest.digestStartTime };
      const object = s3Url(bucket, v.ref.key);
      defects.push({
        kind: "chain-gap",
        object,
        span,
        message: `No digest covers ${span.from} to ${span.to}: the chain restarts at ${object} (logging or log file validation was off, or digests were removed)`,
      });
      [newer, cursor] = [undefined, next];
      continue;
    }
    if (visited.has(pk)) {
      defects.push({
        kind: "chain-not-contiguous",
        object: s3Url(bucket, v.ref.key),
        message: `Digest file ${s3Url(bucket, v.ref.key)}: points back to ${s3Url(pb, pk)}, a digest already in the chain (a loop)`,
      });
      break;
    }
    [newer, cursor] = [
      v,
      { ref: { bucket: pb, key: pk }, time: parseDigestKey(pk)?.time ?? new Date(v.digest.digestStartTime) },
    ];
  }
  defects.push(...(await outsideChain(source, listed, visited, keys, scope.region)));
  return { defects, verified };
}

/** Listed digests newer than the oldest one visited that the walk never reached: moved copies, or digests a re-signed link skipped. */
async function outsideChain(
  source: IntegritySource,
  listed: ListedDigest[],
  visited: Set<string>,
  keys: PublicKeys,
  region: string,
): Promise<Defect[]> {
  const times = listed.filter((l) => visited.has(l.key)).map((l) => l.time.getTime());
  const oldest = times.length > 0 ? Math.min(...times) : Infinity;
  const out: Defect[] = [];
  for (const l of listed.filter((x) => !visited.has(x.key) && x.time.getTime() > oldest)) {
    const r = await loadDigest(source, { bucket: source.bucket, key: l.key }, keys, region);
    const object = s3Url(source.bucket, l.key);
    out.push(
      r.ok
        ? {
            kind: "digest-outside-chain",
            object,
            message: `Digest file ${object}: valid, but no digest of the chain points to it (a link was re-signed to skip it)`,
          }
        : r.defect,
    );
  }
  return out;
}

function tailDefect(
  bucket: string,
  scope: ChainScope,
  w: Window,
  listed: ListedDigest[],
  tail: TailRule,
): Defect | undefined {
  const newest = listed.at(-1);
  if (newest && newest.time >= tail.notBefore) return undefined;
  const from = isoSeconds(newest?.time ?? w.from);
  const span = { from, to: isoSeconds(w.to) };
  if (!newest) {
    const object = s3Url(bucket, `AWSLogs/${scope.orgId}/${scope.account}/CloudTrail-Digest/${scope.region}/`);
    return {
      kind: "tail-truncated",
      object,
      span,
      message: `No digest file from ${from} to ${span.to} under ${object}, although ${tail.because}`,
    };
  }
  const object = s3Url(bucket, newest.key);
  return {
    kind: "tail-truncated",
    object,
    span,
    message: `The newest digest file is ${object} (${from}), although ${tail.because}: digests after it were deleted or never written`,
  };
}
