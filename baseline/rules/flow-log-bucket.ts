/**
 * The flow-log bucket guardrail: a bucket that VPC Flow Logs deliver to is not under Object Lock
 * (lifecycle must expire it), but it is SSE-KMS with a customer key, blocks all public access and
 * refuses plain HTTP, like every log bucket.
 *
 * A bucket is a flow-log bucket when any of these names it: its bucket policy admits
 * delivery.logs.amazonaws.com to PutObject; an aws.ec2.FlowLog delivers to it; or a CloudFormation
 * template in the stack (the member baseline's remediation document) sends CreateFlowLogs to it.
 * A template or flow log naming a bucket this stack does not hold is reported as not judged.
 */
import { asList, asRecord, containsUnknown, isUnknown, parseDocument, setting } from "./values";
import type { StackVerdict, StackViolation } from "./values";
import { BUCKET_TYPES, bucketIdentity, ofType, type StackResource } from "./stack-model";
import { bucketLabel, partsOf } from "./log-buckets";
import { deniesInsecureTransport } from "./s3";
import { flagFact, stringFact } from "./facts";
import {
  ABSENT,
  gapOf,
  known,
  PUBLIC_ACCESS_FLAGS,
  s3DefaultEncryption,
  s3PublicAccessBlock,
  s3TlsOnly,
  UNKNOWN as UNKNOWN_FACT,
} from "../controls";

export const FLOW_LOG_TYPE = "aws:ec2/flowLog:FlowLog";
const LOG_DELIVERY = "delivery.logs.amazonaws.com";
const TEMPLATE_DESTINATION = /"LogDestination":"arn:aws[a-z-]*:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/[^"]*)?"/g;

function admitsLogDelivery(doc: Record<string, unknown>): boolean {
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  return statements.some((s) => {
    const st = asRecord(s) ?? {};
    const services = [asRecord(st.Principal)?.Service].flat().map(String);
    const actions = [st.Action].flat().map((a) => String(a).toLowerCase());
    return st.Effect === "Allow" && services.includes(LOG_DELIVERY) && actions.some((a) => a === "s3:putobject");
  });
}

/** Bucket names flow logs are sent to by aws.ec2.FlowLog resources and CloudFormation templates of the stack. */
function namedDestinations(resources: StackResource[]): string[] {
  const names: string[] = [];
  for (const fl of ofType(resources, [FLOW_LOG_TYPE])) {
    const d = fl.props.logDestination;
    if (fl.props.logDestinationType === "s3" && typeof d === "string") {
      const m = /^arn:aws[a-z-]*:s3:::([^/]+)/.exec(d);
      if (m) names.push(m[1]);
    }
  }
  for (const r of resources) {
    const body = r.props.templateBody;
    if (typeof body === "string") for (const m of body.matchAll(TEMPLATE_DESTINATION)) names.push(m[1]);
  }
  return [...new Set(names)];
}

export interface FlowLogBuckets {
  buckets: StackResource[];
  /** Destination bucket names the stack sends flow logs to but does not hold. */
  elsewhere: string[];
  /** What could not be read at preview, so a flow-log bucket may hide behind it. */
  unreadable: string[];
}

export function findFlowLogBuckets(resources: StackResource[]): FlowLogBuckets {
  const all = ofType(resources, BUCKET_TYPES);
  const found = new Set<StackResource>();
  const unreadable: string[] = [];
  for (const b of all) {
    const policies = partsOf(resources, b, "policy").map((p) => p.props.policy);
    if (policies.some((p) => !containsUnknown(p) && admitsLogDelivery(parseDocument(p).doc ?? {}))) found.add(b);
    else if (policies.some((p) => containsUnknown(p))) unreadable.push(`the policy of ${bucketLabel(b)}`);
  }
  for (const r of resources)
    if (containsUnknown(r.props.templateBody))
      unreadable.push(`the template of ${r.type.split(":").pop()} "${r.name}"`);
  const elsewhere: string[] = [];
  for (const name of namedDestinations(resources)) {
    const b = all.find((x) => bucketIdentity(x).includes(name));
    if (b) found.add(b);
    else elsewhere.push(name);
  }
  // A bucket found another way is judged; only what may hide a further flow-log bucket stays unreadable.
  return {
    buckets: [...found],
    elsewhere,
    unreadable: unreadable.filter((u) => ![...found].some((b) => u === `the policy of ${bucketLabel(b)}`)),
  };
}

export function encryptionMessages(resources: StackResource[], b: StackResource): string[] {
  const rules = partsOf(resources, b, "encryption").flatMap((e) =>
    isUnknown(e.props.rules) ? [e.props.rules] : asList(e.props.rules),
  );
  const defaults = rules.map((r) => (isUnknown(r) ? r : asRecord(r)?.applyServerSideEncryptionByDefault));
  const present = defaults.filter((d) => d !== undefined);
  if (present.length === 0)
    return [
      `add an aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm "aws:kms" and a customer managed kmsMasterKeyId`,
    ];
  for (const d of present) {
    const raw = asRecord(d) ?? {};
    const algorithm = isUnknown(d) || isUnknown(raw.sseAlgorithm) ? UNKNOWN_FACT : known(String(raw.sseAlgorithm));
    const v = s3DefaultEncryption.judge(
      { algorithm, kmsKeyId: stringFact(raw.kmsMasterKeyId), intendedKey: ABSENT },
      { allowSseS3: false },
    );
    const alg = gapOf(v, "algorithm");
    if (alg?.found.kind === "unknown") return [setting("sseAlgorithm")];
    if (alg) return [`use sseAlgorithm "aws:kms" with a customer managed key instead of "${String(raw.sseAlgorithm)}"`];
    const key = gapOf(v, "kmsKeyId");
    if (key?.reason === "missing")
      return ["set kmsMasterKeyId to a customer managed KMS key; without it S3 uses the AWS managed aws/s3 key"];
    if (key)
      return [`kmsMasterKeyId ${String(raw.kmsMasterKeyId)} is an AWS managed key; use a customer managed KMS key`];
  }
  return [];
}

export function publicAccessMessages(resources: StackResource[], b: StackResource): string[] {
  const pabs = partsOf(resources, b, "publicAccessBlock");
  if (pabs.length === 0)
    return [`add an aws.s3.BucketPublicAccessBlock with ${PUBLIC_ACCESS_FLAGS.join(", ")} all true`];
  const out: string[] = [];
  for (const pab of pabs) {
    const v = s3PublicAccessBlock.judge({
      blockPublicAcls: flagFact(pab.props.blockPublicAcls),
      ignorePublicAcls: flagFact(pab.props.ignorePublicAcls),
      blockPublicPolicy: flagFact(pab.props.blockPublicPolicy),
      restrictPublicBuckets: flagFact(pab.props.restrictPublicBuckets),
    });
    const unknown = PUBLIC_ACCESS_FLAGS.filter((f) => gapOf(v, f)?.found.kind === "unknown");
    const off = PUBLIC_ACCESS_FLAGS.filter((f) => gapOf(v, f) && gapOf(v, f)?.found.kind !== "unknown");
    if (unknown.length) out.push(setting(unknown.join(", ")));
    if (off.length) out.push(`set ${off.join(", ")} to true on the public access block`);
  }
  return out;
}

/** The TLS deny; `undefined` when the policy is unknown at preview (then it is reported as not judged). */
export function tlsMessages(resources: StackResource[], b: StackResource): string[] | undefined {
  const policies = partsOf(resources, b, "policy").map((p) => p.props.policy);
  if (policies.some((p) => containsUnknown(p))) return undefined;
  const docs = policies.map((p) => parseDocument(p).doc).filter((d) => d !== undefined);
  const fact = docs.length === 0 ? ABSENT : known(docs.some((d) => deniesInsecureTransport(d!)));
  return s3TlsOnly.judge({ deniesInsecureTransport: fact }).passed
    ? []
    : ['add a bucket policy statement that denies s3:* to every principal when aws:SecureTransport is "false"'];
}

export function flowLogBucketGuardrail(resources: StackResource[]): StackVerdict {
  const { buckets, elsewhere, unreadable } = findFlowLogBuckets(resources);
  const violations: StackViolation[] = [];
  const notJudged: string[] = elsewhere.map(
    (n) => `flow logs are sent to bucket ${n}, which this stack does not hold; its settings are not checked here`,
  );
  if (unreadable.length)
    notJudged.push(
      `${unreadable.join(", ")} ${unreadable.length === 1 ? "is" : "are"} unknown at preview, so a flow-log bucket named there is found and checked at update`,
    );
  for (const b of buckets) {
    const tls = tlsMessages(resources, b);
    if (tls === undefined)
      notJudged.push(
        `the policy of ${bucketLabel(b)} is unknown at preview; its aws:SecureTransport deny is checked at update`,
      );
    for (const m of [...encryptionMessages(resources, b), ...publicAccessMessages(resources, b), ...(tls ?? [])])
      violations.push({ urn: b.urn, message: `${bucketLabel(b)} (flow-log bucket): ${m}` });
  }
  return notJudged.length ? { violations, notApplicable: notJudged.join("; ") } : { violations };
}
