/**
 * Validates the digest chains of many account × region scopes over one source, in parallel with
 * p-limit: the chain walk per scope, then every log file of every verified digest, streamed.
 */
import pLimit from "p-limit";
import { walkChain, type TailRule } from "./chain";
import { s3Url, type Defect } from "./defects";
import type { VerifiedDigest } from "./digest-load";
import { hashGunzipped } from "./hash";
import { publicKeyMap, type PublicKeys } from "./keys";
import type { ChainScope, Window } from "./listing";
import { SourceReadError, type IntegritySource } from "./source";

export interface ScopeResult {
  scope: ChainScope;
  digestsVerified: number;
  logsVerified: number;
  /** Uncompressed bytes hashed. */
  bytesHashed: number;
  defects: Defect[];
  /** Set when a read failed: the scope's result is incomplete and must be reported as ERROR. */
  error?: { name: string; operation: string; message: string; failure?: SourceReadError["failure"] };
}

export interface ValidateOptions {
  window: Window;
  /** The tail rule of a scope (the nightly check derives it from the window and the trail's LatestDigestDeliveryTime). */
  tail: (scope: ChainScope) => TailRule;
  /** Concurrent scopes (default 4). */
  concurrency?: number;
  /** Concurrent log files across all scopes (default 4). */
  logConcurrency?: number;
}

const HOUR = 3_600_000;

export async function validateScopes(
  source: IntegritySource,
  scopes: ChainScope[],
  o: ValidateOptions,
): Promise<ScopeResult[]> {
  const scopeLimit = pLimit(o.concurrency ?? 4);
  const logLimit = pLimit(o.logConcurrency ?? 4);
  const keysByRegion = new Map<string, Promise<PublicKeys>>();
  // awscli asks for keys valid up to two hours after the window (DigestTraverser.traverse_digests).
  const keysFor = (region: string) => {
    let p = keysByRegion.get(region);
    if (!p)
      keysByRegion.set(
        region,
        (p = source.publicKeys(region, o.window.from, new Date(o.window.to.getTime() + 2 * HOUR)).then(publicKeyMap)),
      );
    return p;
  };
  return Promise.all(scopes.map((s) => scopeLimit(() => validateScope(source, s, o, keysFor, logLimit))));
}

async function validateScope(
  source: IntegritySource,
  scope: ChainScope,
  o: ValidateOptions,
  keysFor: (r: string) => Promise<PublicKeys>,
  logLimit: pLimit.Limit,
): Promise<ScopeResult> {
  const result: ScopeResult = { scope, digestsVerified: 0, logsVerified: 0, bytesHashed: 0, defects: [] };
  try {
    const chain = await walkChain(source, scope, o.window, await keysFor(scope.region), o.tail(scope));
    result.digestsVerified = chain.verified.length;
    result.defects.push(...chain.defects);
    const logs = await Promise.all(chain.verified.flatMap((v) => logChecks(source, v, logLimit)));
    for (const l of logs) {
      if (l.defect) result.defects.push(l.defect);
      else result.logsVerified++;
      result.bytesHashed += l.bytes;
    }
  } catch (err) {
    if (err instanceof SourceReadError)
      result.error = { name: err.errorName, operation: err.operation, message: err.message, failure: err.failure };
    else throw err;
  }
  return result;
}

function logChecks(
  source: IntegritySource,
  v: VerifiedDigest,
  limit: pLimit.Limit,
): Promise<{ defect?: Defect; bytes: number }>[] {
  return v.digest.logFiles.map((lf) =>
    limit(async () => {
      const object = s3Url(lf.s3Bucket, lf.s3Object);
      const opened = await source.openLog({ bucket: lf.s3Bucket, key: lf.s3Object });
      if (!opened.found)
        return {
          bytes: 0,
          defect: {
            kind: "log-missing",
            object,
            message: `Log file ${object}: not found (deleted or moved), although digest ${s3Url(v.ref.bucket, v.ref.key)} lists it`,
          },
        };
      const h = await hashGunzipped(opened.value).catch((err: unknown) => {
        // A stream that breaks off mid-read is an incomplete validation, not a modified file.
        const e = err instanceof Error ? err : new Error(String(err));
        throw new SourceReadError((e as NodeJS.ErrnoException).code ?? e.name, "GetObject", object, e.message);
      });
      if (!h.ok)
        return {
          bytes: 0,
          defect: { kind: "log-invalid-format", object, message: `Log file ${object}: invalid format (not gzip)` },
        };
      if (h.hex !== lf.hashValue)
        return {
          bytes: h.bytes,
          defect: {
            kind: "log-modified",
            object,
            message: `Log file ${object}: hash value doesn't match the digest's (${s3Url(v.ref.bucket, v.ref.key)}): the file was modified`,
          },
        };
      return { bytes: h.bytes };
    }),
  );
}
