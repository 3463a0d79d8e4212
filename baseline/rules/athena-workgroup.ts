/**
 * The Athena workgroup guardrail: a workgroup of the stack enforces its configuration (a client
 * cannot send results elsewhere or unencrypted), writes results SSE-KMS (or CSE-KMS) with a named
 * key, and bounds what one query scans; the bucket its results land in, when the stack holds it,
 * is SSE-KMS with a customer key, blocks all public access and refuses plain HTTP. Query results
 * hold log content, so they get a log bucket's protections.
 */
import { asRecord, isUnknown, setting } from "./values";
import type { StackVerdict, StackViolation } from "./values";
import { BUCKET_TYPES, bucketIdentity, ofType, type StackResource } from "./stack-model";
import { bucketLabel } from "./log-buckets";
import { encryptionMessages, publicAccessMessages, tlsMessages } from "./flow-log-bucket";

export const WORKGROUP_TYPE = "aws:athena/workgroup:Workgroup";
const KMS_OPTIONS = ["SSE_KMS", "CSE_KMS"];

function workgroupMessages(w: StackResource): string[] {
  const c = asRecord(w.props.configuration);
  if (!c) return isUnknown(w.props.configuration) ? [setting("configuration")] : ["add a configuration block"];
  const out: string[] = [];
  if (isUnknown(c.enforceWorkgroupConfiguration)) out.push(setting("enforceWorkgroupConfiguration"));
  else if (c.enforceWorkgroupConfiguration !== true)
    out.push(
      "set configuration.enforceWorkgroupConfiguration to true, so no client overrides the results location or encryption",
    );
  if (c.bytesScannedCutoffPerQuery === undefined)
    out.push("set configuration.bytesScannedCutoffPerQuery, so one query cannot scan the whole archive");
  const enc = asRecord(asRecord(c.resultConfiguration)?.encryptionConfiguration);
  const option = enc?.encryptionOption;
  if (isUnknown(option)) out.push(setting("encryptionOption"));
  else if (!KMS_OPTIONS.includes(String(option)))
    out.push(
      `encrypt results with encryptionOption "SSE_KMS" and a kmsKeyArn${option === undefined ? "" : ` instead of "${String(option)}"`}`,
    );
  else if (enc?.kmsKeyArn === undefined)
    out.push("set resultConfiguration.encryptionConfiguration.kmsKeyArn to a customer managed key");
  return out;
}

const RESULTS_BUCKET = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(\/|$)/;

export function athenaWorkgroupGuardrail(resources: StackResource[]): StackVerdict {
  const violations: StackViolation[] = [];
  const notJudged: string[] = [];
  const buckets = ofType(resources, BUCKET_TYPES);
  for (const w of ofType(resources, [WORKGROUP_TYPE])) {
    for (const m of workgroupMessages(w)) violations.push({ urn: w.urn, message: `workgroup ${w.name}: ${m}` });
    const location = asRecord(asRecord(w.props.configuration)?.resultConfiguration)?.outputLocation;
    if (isUnknown(location)) {
      notJudged.push(
        `the results location of workgroup ${w.name} is unknown at preview; its bucket is checked at update`,
      );
      continue;
    }
    const name = typeof location === "string" ? RESULTS_BUCKET.exec(location)?.[1] : undefined;
    if (!name) continue; // workgroupMessages already asks for the configuration
    const b = buckets.find((x) => bucketIdentity(x).includes(name));
    if (!b) {
      notJudged.push(`workgroup ${w.name} writes results to bucket ${name}, which this stack does not hold`);
      continue;
    }
    const tls = tlsMessages(resources, b);
    if (tls === undefined)
      notJudged.push(`the policy of ${bucketLabel(b)} is unknown at preview; its TLS deny is checked at update`);
    for (const m of [...encryptionMessages(resources, b), ...publicAccessMessages(resources, b), ...(tls ?? [])])
      violations.push({ urn: b.urn, message: `${bucketLabel(b)} (Athena results bucket of ${w.name}): ${m}` });
  }
  return notJudged.length ? { violations, notApplicable: notJudged.join("; ") } : { violations };
}
