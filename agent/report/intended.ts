/**
 * The intended documents a remediation command reads, and the files that hold them beside the
 * report: `intended/<name>.json`, where <name> is the finding id percent-encoded.
 *
 * File name: every UTF-8 byte of the finding id outside [A-Za-z0-9._-] becomes %XX (upper-case
 * hex), so `|`, `#`, `:` and `/` never reach the file system or a shell, the name is one path
 * segment, and decoding it (decodeURIComponent) gives the id back: the mapping is reversible and,
 * because `%` itself is encoded, collision-free. A name that would pass 255 bytes (the common
 * file-name limit) keeps its first 200 encoded characters and gains `~` and 16 hex digits of the
 * id's SHA-256; `~` never occurs in an encoded id, so such a name is recognisable, and the
 * finding's remediation.intendedFile still names it.
 */
import { createHash } from "node:crypto";
import {
  bucketArn,
  intendedTrailSelectors,
  lifecycleRule,
  toApiSelectors,
  type ApiAdvancedEventSelector,
  type AuditManifest,
  type PolicyDocument,
} from "../../baseline";
import type { Finding, IntendedDocumentKind } from "../finding";
import type { ObservedOrganization } from "../model";

export const INTENDED_DIR = "intended";
const MAX_NAME_BYTES = 255;
const KEPT_PREFIX = 200;

function encodeId(id: string): string {
  let out = "";
  for (const byte of Buffer.from(id, "utf8")) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9._-]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** The file name (no directory) of a finding's intended document. */
export function intendedFileName(findingId: string): string {
  if (!findingId) throw new Error("intendedFileName: the finding id must not be empty");
  const encoded = encodeId(findingId);
  if (Buffer.byteLength(`${encoded}.json`) <= MAX_NAME_BYTES) return `${encoded}.json`;
  // Cut before a %XX triple, never inside one.
  let cut = KEPT_PREFIX;
  while (encoded.lastIndexOf("%", cut - 1) > cut - 3) cut = encoded.lastIndexOf("%", cut - 1);
  const digest = createHash("sha256").update(findingId).digest("hex").slice(0, 16);
  return `${encoded.slice(0, cut)}~${digest}.json`;
}

/** The finding id a file name stands for; undefined for a shortened (`~`) name or a name this scheme did not make. */
export function findingIdOfIntendedFile(name: string): string | undefined {
  const m = /^([A-Za-z0-9._%-]+)\.json$/.exec(name);
  if (!m) return undefined;
  try {
    const id = decodeURIComponent(m[1]);
    return encodeId(id) === m[1] ? id : undefined;
  } catch {
    // A malformed %-sequence: not a name this scheme wrote.
    return undefined;
  }
}

/** The path relative to the report directory, as a finding's remediation.intendedFile and the command's file:// argument hold it. */
export const intendedPath = (findingId: string) => `${INTENDED_DIR}/${intendedFileName(findingId)}`;

/** One advanced event selector as `aws cloudtrail put-event-selectors --advanced-event-selectors` reads it. */
/**
 * The selectors the baseline's trail is deployed with (baseline/event-selectors.ts, which
 * infra/org-trail.ts lays, with the archive and access-log buckets as the log buckets), in the
 * CLI's shape; a test holds the two equal.
 */
export function intendedEventSelectors(m: AuditManifest): ApiAdvancedEventSelector[] {
  return toApiSelectors(
    intendedTrailSelectors({
      s3DataEvents: m.trail.dataEvents.s3,
      lambdaDataEvents: m.trail.dataEvents.lambda,
      logBucketNames: [m.archive.bucketName, m.archive.accessLogBucketName],
    }),
  );
}

/** The policy id at the end of an SCP ARN (…/service_control_policy/p-…), if the finding is about one. */
export function scpIdOf(resourceArn: string): string | undefined {
  return /\/service_control_policy\/(p-[0-9a-z_]+)$/.exec(resourceArn)?.[1];
}

/**
 * The intended SCP a finding is about: by the `missing:<name>` key, or by the policy id in its ARN
 * (matched to the manifest by id, or by the observed SCP's name when the manifest has no id yet, as
 * the check matches). Undefined for a finding about the organization as a whole (an ERROR before
 * any SCP was read): no single document is meant.
 */
function intendedScp(f: Finding, m: AuditManifest, org: ObservedOrganization): PolicyDocument | undefined {
  if (f.key?.startsWith("missing:")) return m.scps.find((s) => s.name === f.key!.slice("missing:".length))?.content;
  const id = scpIdOf(f.resourceArn);
  if (!id) return undefined;
  const byId = m.scps.find((s) => s.id === id);
  if (byId) return byId.content;
  const observedName = org.scps.ok ? org.scps.value.find((s) => s.id === id)?.name : undefined;
  return m.scps.find((s) => s.id === undefined && s.name === observedName)?.content;
}

/** The document the finding's check compared with, for a check that declares one; undefined when none applies to this finding. */
export function intendedDocument(
  kind: IntendedDocumentKind,
  f: Finding,
  m: AuditManifest,
  org: ObservedOrganization,
): unknown {
  switch (kind) {
    case "bucket-policy":
      return m.archive.expectedBucketPolicy;
    case "key-policy":
      return m.key.expectedKeyPolicy;
    case "scp":
      return intendedScp(f, m, org);
    case "event-selectors":
      return intendedEventSelectors(m);
    case "log-bucket-policy":
    case "log-bucket-encryption":
    case "log-bucket-lifecycle":
    case "log-bucket-logging":
      return logBucketDocument(kind, f, m);
  }
}

/**
 * The intended setting of the log bucket a finding names, in the shape its `aws s3api put-…`
 * command reads; undefined when the finding names no bucket of the manifest (an ERROR about the
 * manifest itself) or the entry lacks the setting.
 */
export function logBucketDocument(
  kind: "log-bucket-policy" | "log-bucket-encryption" | "log-bucket-lifecycle" | "log-bucket-logging",
  f: Finding,
  m: AuditManifest,
): unknown {
  const b = m.logBuckets?.find((x) => bucketArn(x.bucketName) === f.resourceArn);
  if (!b) return undefined;
  switch (kind) {
    case "log-bucket-policy":
      return b.expectedBucketPolicy;
    case "log-bucket-encryption": {
      const e = b.encryption;
      if (!e) return undefined;
      const byDefault =
        e.algorithm === "aws:kms" ? { SSEAlgorithm: "aws:kms", KMSMasterKeyID: e.keyArn } : { SSEAlgorithm: "AES256" };
      return { Rules: [{ ApplyServerSideEncryptionByDefault: byDefault, BucketKeyEnabled: false }] };
    }
    case "log-bucket-lifecycle":
      return { Rules: [lifecycleRule(b.lifecycle)] };
    case "log-bucket-logging":
      return b.accessLogging
        ? { LoggingEnabled: { TargetBucket: b.accessLogging.targetBucket, TargetPrefix: b.accessLogging.targetPrefix } }
        : undefined;
  }
}
