import type { AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { ABSENT, known, kmsKeyRotation } from "../../../baseline/controls";
import { blocked, verdict, type CheckContext } from "../common";
import { keyScope } from "../kms-scope";

export const metadata: CheckMetadata = {
  id: "kms-key-state",
  title: "The log key is enabled, rotates, and is not pending deletion",
  area: "kms",
  severity: "CRITICAL",
  risk: "A disabled key stops CloudTrail delivery at once; a key pending deletion takes every log file it encrypted with it when the waiting period ends; without rotation one key version protects years of logs.",
  remediation: {
    console:
      "KMS console (security account, key region) → the log key: Key actions → Enable / Cancel key deletion; Key rotation tab → Automatically rotate this KMS key.",
    cli: "aws kms cancel-key-deletion --key-id <key-arn>; aws kms enable-key --key-id <key-arn>; aws kms enable-key-rotation --key-id <key-arn>",
    pulumi:
      "The baseline's aws.kms.Key sets isEnabled: true and enableKeyRotation: true; run `pulumi up` on the orgwarden stack (a key pending deletion must first be cancelled by hand).",
  },
  controls: ["kms-key-rotation"],
  references: [
    "https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html",
    "https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html",
    "https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html",
    "https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html",
    "https://www.cisecurity.org/benchmark/amazon_web_services",
  ],
};

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  // Two findings for one key: the key of each keeps their ids apart.
  const rotationScope = { ...keyScope(intended), key: "rotation" };
  const stateScope = { ...keyScope(intended), key: "state" };
  const key = observed.key;
  const rotationStop = blocked(metadata, observed, rotationScope, { rotationEnabled: true }, key.rotationEnabled);
  const on = key.rotationEnabled.ok && key.rotationEnabled.value;
  // The log key is symmetric by intent (CloudTrail encrypts with nothing else), and its period is not collected: KMS's defaults stand.
  const rotates = kmsKeyRotation.judge(
    { keySpec: ABSENT, keyUsage: ABSENT, rotationEnabled: known(on), rotationPeriodDays: ABSENT },
    {},
  ).passed;
  const rotation =
    rotationStop ??
    verdict(
      metadata,
      rotationScope,
      { rotationEnabled: true },
      { rotationEnabled: on },
      rotates ? [] : ["automatic rotation of the log key is off; enable it"],
      "Automatic rotation of the log key is on.",
    );
  const want = { keyState: "Enabled", deletionDate: null };
  const stateStop = blocked(metadata, observed, stateScope, want, key.metadata);
  if (stateStop || !key.metadata.ok) return [rotation, stateStop!];
  const md = key.metadata.value;
  const problems: string[] = [];
  if (md.deletionDate)
    problems.push(
      `the log key is scheduled for deletion on ${md.deletionDate}; cancel the deletion (aws kms cancel-key-deletion) before that date or every log file it encrypted becomes unreadable`,
    );
  if (md.keyState !== "Enabled")
    problems.push(`key state is ${md.keyState}, not Enabled; CloudTrail cannot encrypt with it`);
  return [
    rotation,
    verdict(
      metadata,
      stateScope,
      want,
      { keyState: md.keyState, deletionDate: md.deletionDate ?? null },
      problems,
      "The log key is Enabled and not pending deletion.",
    ),
  ];
}
