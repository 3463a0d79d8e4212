import { accountRoot, type AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { ABSENT, inspectorScanning, known } from "../../../baseline/controls";
import {
  INSPECTOR_AUTO_ENABLE_KEYS,
  type InspectorAutoEnableKey,
  type InspectorResourceType,
} from "../../../baseline/detection/inspector";
import { blocked, verdict, type CheckContext } from "../common";
import { evaluateCells, type DetectionCell } from "../scope";

export const metadata: CheckMetadata = {
  id: "inspector-enabled",
  title:
    "Inspector scans the stack's resource types (EC2, ECR and Lambda by default) in every governed account and region",
  area: "detection",
  severity: "MEDIUM",
  risk: "With a scan type off, vulnerable instances, images or functions (or the functions' code) in that account and region go unreported.",
  remediation: {
    console:
      "Amazon Inspector console (security account as delegated administrator) → Account management → select the account → Activate → the scan types of detection.inspector.resourceTypes (<inspector-resource-types>).",
    cli: "aws inspector2 enable --account-ids <account> --resource-types <inspector-resource-types> --region <region>",
    pulumi:
      "The orgwarden stack enables Inspector with aws.inspector2.Enabler (resourceTypes from detection.inspector.resourceTypes: <inspector-resource-types>) for the member accounts; run `pulumi up`.",
  },
  controls: ["inspector-scanning"],
  references: [
    "https://docs.aws.amazon.com/inspector/latest/user/getting_started_tutorial.html",
    "https://docs.aws.amazon.com/inspector/latest/user/activate-scans.html",
  ],
};

const LABEL: Record<InspectorAutoEnableKey, string> = {
  ec2: "EC2",
  ecr: "ECR",
  lambda: "Lambda",
  lambdaCode: "Lambda code",
};

/** What a manifest published before the inspector area was laid with: infra's default, EC2, ECR and Lambda. */
const DEFAULT_TYPES: readonly InspectorResourceType[] = ["EC2", "ECR", "LAMBDA"];

/** The scan types the manifest's inspector area says the stack enables, as BatchGetAccountStatus keys. */
function requiredKeys(m: AuditManifest): InspectorAutoEnableKey[] {
  const types = m.inspector?.resourceTypes ?? DEFAULT_TYPES;
  return INSPECTOR_AUTO_ENABLE_KEYS.filter(([t]) => types.includes(t)).map(([, k]) => k);
}

function enabledWant(keys: readonly InspectorAutoEnableKey[]): Record<string, string> {
  return Object.fromEntries(keys.map((k) => [k, "ENABLED"]));
}

function labels(keys: readonly InspectorAutoEnableKey[]): string {
  const l = keys.map((k) => LABEL[k]);
  return l.length > 1 ? `${l.slice(0, -1).join(", ")} and ${l[l.length - 1]}` : l.join("");
}

function judge(o: ObservedState, c: DetectionCell, keys: readonly InspectorAutoEnableKey[]): Finding {
  // Inspector's per-account status has no ARN of its own; the account is the resource.
  const scope = { account: c.account, region: c.region, resourceArn: accountRoot(c.account) };
  const want = enabledWant(keys);
  const stop = blocked(metadata, o, scope, want, c.entry.inspector);
  if (stop) return stop;
  const st = c.entry.inspector.ok ? c.entry.inspector.value : undefined;
  const scanTypes = st ? known(Object.fromEntries(keys.map((k) => [k, known(st[k] === "ENABLED")]))) : ABSENT;
  const v = inspectorScanning.judge({ scanTypes }, { required: [...keys] });
  if (!st)
    return verdict(
      metadata,
      scope,
      want,
      null,
      v.passed
        ? []
        : [`Inspector is not enabled in account ${c.account} in ${c.region}; activate ${labels(keys)} scanning`],
      "",
    );
  const off = keys
    .filter((k) => v.gaps.some((g) => g.field === k))
    .map((k) => `${LABEL[k]} is ${st[k] ?? "not reported"}`);
  return verdict(
    metadata,
    scope,
    want,
    st,
    off.length === 0 ? [] : [`Inspector scanning in ${c.region}: ${off.join(", ")}; activate it`],
    `Inspector scans ${labels(keys)} in ${c.region}.`,
  );
}

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const keys = requiredKeys(intended);
  return evaluateCells(metadata, observed, intended, enabledWant(keys), (c) => judge(observed, c, keys));
}
