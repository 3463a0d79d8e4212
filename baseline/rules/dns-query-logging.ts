/**
 * The Route 53 Resolver query logging guardrail. Every query logging configuration of the stack
 * delivers to an S3 bucket the stack holds, protected as a log bucket (SSE-KMS with a customer key,
 * all public access blocked, TLS-only), not to a CloudWatch Logs group or a Firehose stream outside
 * the log archive; and it is shared through RAM only with the organization: each share that holds it
 * has allowExternalPrincipals false and the organization ARN as its only principal.
 */
import { containsUnknown, isUnknown } from "./values";
import type { StackVerdict, StackViolation } from "./values";
import { BUCKET_TYPES, bucketIdentity, ofType, resolveRef, type StackResource } from "./stack-model";
import { bucketLabel } from "./log-buckets";
import { encryptionMessages, publicAccessMessages, tlsMessages } from "./flow-log-bucket";

export const QUERY_LOG_CONFIG_TYPE = "aws:route53/resolverQueryLogConfig:ResolverQueryLogConfig";
export const RAM_SHARE_TYPE = "aws:ram/resourceShare:ResourceShare";
export const RAM_RESOURCE_ASSOCIATION_TYPE = "aws:ram/resourceAssociation:ResourceAssociation";
export const RAM_PRINCIPAL_ASSOCIATION_TYPE = "aws:ram/principalAssociation:PrincipalAssociation";

const S3_ARN = /^arn:aws[a-z-]*:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$/;
const ORGANIZATION_ARN = /^arn:aws[a-z-]*:organizations::\d{12}:organization\/o-[a-z0-9]{10,32}$/;

const arnOf = (r: StackResource) => [r.props.arn, r.props.id];

interface Judged {
  violations: StackViolation[];
  notJudged: string[];
}

function judgeDestination(resources: StackResource[], c: StackResource, out: Judged): void {
  const label = `query logging configuration ${c.name}`;
  const dest = c.props.destinationArn;
  const buckets = ofType(resources, BUCKET_TYPES);
  let bucket: StackResource | undefined;
  if (isUnknown(dest)) {
    bucket = resolveRef(c, "destinationArn", buckets, bucketIdentity);
    if (!bucket) {
      out.notJudged.push(`the destination of ${label} is unknown at preview; it is checked at update`);
      return;
    }
  } else {
    const name = typeof dest === "string" ? S3_ARN.exec(dest)?.[1] : undefined;
    if (!name) {
      out.violations.push({
        urn: c.urn,
        message: `${label}: deliver to the DNS query-log bucket (an S3 bucket ARN arn:aws:s3:::<bucket>) instead of ${String(dest)}`,
      });
      return;
    }
    bucket = buckets.find((b) => bucketIdentity(b).includes(name));
    if (!bucket) {
      out.notJudged.push(
        `${label} delivers to bucket ${name}, which this stack does not hold; its settings are not checked here`,
      );
      return;
    }
  }
  const tls = tlsMessages(resources, bucket);
  if (tls === undefined)
    out.notJudged.push(`the policy of ${bucketLabel(bucket)} is unknown at preview; its TLS deny is checked at update`);
  for (const m of [
    ...encryptionMessages(resources, bucket),
    ...publicAccessMessages(resources, bucket),
    ...(tls ?? []),
  ])
    out.violations.push({
      urn: bucket.urn,
      message: `${bucketLabel(bucket)} (DNS query-log bucket of ${c.name}): ${m}`,
    });
}

function judgeShare(resources: StackResource[], share: StackResource, out: Judged): void {
  const label = `resource share ${share.name}`;
  const external = share.props.allowExternalPrincipals;
  if (isUnknown(external)) out.notJudged.push(`allowExternalPrincipals of ${label} is unknown at preview`);
  else if (external !== false)
    out.violations.push({
      urn: share.urn,
      message: `${label}: set allowExternalPrincipals to false, so the query logging configuration cannot be shared outside the organization`,
    });
  const principals = ofType(resources, [RAM_PRINCIPAL_ASSOCIATION_TYPE]).filter(
    (p) => resolveRef(p, "resourceShareArn", [share], arnOf) === share,
  );
  if (principals.length === 0)
    out.violations.push({
      urn: share.urn,
      message: `${label}: add an aws.ram.PrincipalAssociation with the organization ARN (arn:aws:organizations::<management account>:organization/<org id>) as principal`,
    });
  for (const p of principals) {
    const principal = p.props.principal;
    if (containsUnknown(principal))
      out.notJudged.push(`the principal of ${p.name} is unknown at preview; it is checked at update`);
    else if (typeof principal !== "string" || !ORGANIZATION_ARN.test(principal))
      out.violations.push({
        urn: p.urn,
        message: `${p.name}: share the query logging configuration only with the organization ARN, not ${String(principal)}`,
      });
  }
}

export function dnsQueryLoggingGuardrail(resources: StackResource[]): StackVerdict {
  const out: Judged = { violations: [], notJudged: [] };
  const shares = ofType(resources, [RAM_SHARE_TYPE]);
  const associations = ofType(resources, [RAM_RESOURCE_ASSOCIATION_TYPE]);
  for (const c of ofType(resources, [QUERY_LOG_CONFIG_TYPE])) {
    judgeDestination(resources, c, out);
    const mine = associations.filter((a) => resolveRef(a, "resourceArn", [c], arnOf) === c);
    if (mine.length === 0) {
      out.violations.push({
        urn: c.urn,
        message: `query logging configuration ${c.name}: share it with the organization through RAM (an aws.ram.ResourceShare with allowExternalPrincipals false, an aws.ram.ResourceAssociation of the configuration, an aws.ram.PrincipalAssociation of the organization ARN), so member accounts can associate their VPCs`,
      });
      continue;
    }
    for (const a of mine) {
      const share = resolveRef(a, "resourceShareArn", shares, arnOf);
      if (share) judgeShare(resources, share, out);
      else out.notJudged.push(`the resource share of ${a.name} is not one this stack holds, or unknown at preview`);
    }
  }
  const { violations, notJudged } = out;
  return notJudged.length ? { violations, notApplicable: [...new Set(notJudged)].join("; ") } : { violations };
}
