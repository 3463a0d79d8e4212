import { accountRoot, type AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { ABSENT, inspectorScanning, known } from "../../../baseline/controls";
import { blocked, verdict, type CheckContext } from "../common";
import { evaluateCells, type DetectionCell } from "../scope";

export const metadata: CheckMetadata = {
  id: "inspector-enabled",
  title: "Inspector scans EC2, ECR and Lambda in every governed account and region",
  area: "detection",
  severity: "MEDIUM",
  risk: "With a scan type off, vulnerable instances, images or functions in that account and region go unreported.",
  remediation: {
    console:
      "Amazon Inspector console (security account as delegated administrator) → Account management → select the account → Activate → EC2, ECR and Lambda scanning.",
    cli: "aws inspector2 enable --account-ids <account> --resource-types EC2 ECR LAMBDA --region <region>",
    pulumi:
      "The orgwarden stack enables Inspector with aws.inspector2.Enabler (resourceTypes EC2, ECR, LAMBDA) for the member accounts; run `pulumi up`.",
  },
  controls: ["inspector-scanning"],
  references: [
    "https://docs.aws.amazon.com/inspector/latest/user/getting_started_tutorial.html",
    "https://docs.aws.amazon.com/inspector/latest/user/activate-scans.html",
  ],
};

const TYPES = [
  ["ec2", "EC2"],
  ["ecr", "ECR"],
  ["lambda", "Lambda"],
] as const;

function judge(o: ObservedState, c: DetectionCell): Finding {
  // Inspector's per-account status has no ARN of its own; the account is the resource.
  const scope = { account: c.account, region: c.region, resourceArn: accountRoot(c.account) };
  const want = { ec2: "ENABLED", ecr: "ENABLED", lambda: "ENABLED" };
  const stop = blocked(metadata, o, scope, want, c.entry.inspector);
  if (stop) return stop;
  const st = c.entry.inspector.ok ? c.entry.inspector.value : undefined;
  const scanTypes = st ? known(Object.fromEntries(TYPES.map(([k]) => [k, known(st[k] === "ENABLED")]))) : ABSENT;
  const v = inspectorScanning.judge({ scanTypes }, { required: TYPES.map(([k]) => k) });
  if (!st)
    return verdict(
      metadata,
      scope,
      want,
      null,
      v.passed
        ? []
        : [`Inspector is not enabled in account ${c.account} in ${c.region}; activate EC2, ECR and Lambda scanning`],
      "",
    );
  const off = TYPES.filter(([k]) => v.gaps.some((g) => g.field === k)).map(([k, label]) => `${label} is ${st[k]}`);
  return verdict(
    metadata,
    scope,
    want,
    st,
    off.length === 0 ? [] : [`Inspector scanning in ${c.region}: ${off.join(", ")}; activate it`],
    `Inspector scans EC2, ECR and Lambda in ${c.region}.`,
  );
}

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  return evaluateCells(metadata, observed, intended, { ec2: "ENABLED", ecr: "ENABLED", lambda: "ENABLED" }, (c) =>
    judge(observed, c),
  );
}
