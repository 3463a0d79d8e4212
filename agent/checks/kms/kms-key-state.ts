import type { AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { ABSENT, known, kmsKeyRotation } from "../../../baseline/controls";
import { blocked, sentence, verdict, type CheckContext } from "../common";
import { baselineKeys, LOG_KEY_LABEL, type JudgedKey } from "../kms-keys";

export const metadata: CheckMetadata = {
  id: "kms-key-state",
  title: "Every key the baseline lays is enabled, rotates, and is not pending deletion",
  area: "kms",
  severity: "CRITICAL",
  risk: "A disabled key stops what encrypts with it at once (CloudTrail delivery, the log group, Config delivery, flow logs, alerts); a key pending deletion takes everything it encrypted with it when the waiting period ends; without rotation one key version protects years of logs.",
  remediation: {
    console:
      "KMS console (the key's account and region, from the finding's ARN) → the key: Key actions → Enable / Cancel key deletion; Key rotation tab → Automatically rotate this KMS key.",
    cli: "aws kms cancel-key-deletion --key-id <key-arn>; aws kms enable-key --key-id <key-arn>; aws kms enable-key-rotation --key-id <key-arn>",
    pulumi:
      "Every aws.kms.Key of the baseline (infra/customer-key.ts) sets isEnabled: true and enableKeyRotation: true; run `pulumi up` on the orgwarden stack (a key pending deletion must first be cancelled by hand).",
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

/** Two findings per key (rotation, state); the log key's keep the ids they always had. */
export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  return baselineKeys(observed, intended).flatMap((k) => keyState(observed, k));
}

function keyState(observed: ObservedState, k: JudgedKey): Finding[] {
  // Two findings for one key: the key of each keeps their ids apart.
  const rotationScope = { ...k.scope, key: "rotation" };
  const stateScope = { ...k.scope, key: "state" };
  const key = k.observed;
  const name = k.label === LOG_KEY_LABEL ? k.label : `${k.label} ${k.arn}`;
  const want = { rotationEnabled: k.rotationEnabled };
  const rotationStop = blocked(metadata, observed, rotationScope, want, key.rotationEnabled);
  const on = key.rotationEnabled.ok && key.rotationEnabled.value;
  // The baseline's keys are symmetric by intent, and the period is not collected: KMS's defaults stand.
  const rotates = kmsKeyRotation.judge(
    { keySpec: ABSENT, keyUsage: ABSENT, rotationEnabled: known(on), rotationPeriodDays: ABSENT },
    {},
  ).passed;
  const rotation =
    rotationStop ??
    verdict(
      metadata,
      rotationScope,
      want,
      { rotationEnabled: on },
      !k.rotationEnabled || rotates ? [] : [`automatic rotation of ${name} is off; enable it`],
      k.rotationEnabled || on
        ? sentence(`automatic rotation of ${name} is on.`)
        : sentence(`automatic rotation of ${name} is off, as the manifest intends.`),
    );
  const wantState = { keyState: "Enabled", deletionDate: null };
  const stateStop = blocked(metadata, observed, stateScope, wantState, key.metadata);
  if (stateStop || !key.metadata.ok) return [rotation, stateStop!];
  const md = key.metadata.value;
  const problems: string[] = [];
  if (md.deletionDate)
    problems.push(
      `${name} is scheduled for deletion on ${md.deletionDate}; cancel the deletion (aws kms cancel-key-deletion --key-id ${k.arn}) before that date or everything it encrypted becomes unreadable`,
    );
  if (md.keyState !== "Enabled")
    problems.push(
      `key state is ${md.keyState}, not Enabled; nothing can encrypt with it (aws kms enable-key --key-id ${k.arn})`,
    );
  return [
    rotation,
    verdict(
      metadata,
      stateScope,
      wantState,
      { keyState: md.keyState, deletionDate: md.deletionDate ?? null },
      problems,
      sentence(`${name} is Enabled and not pending deletion.`),
    ),
  ];
}
