import { accountRoot, type AuditManifest } from "../../../baseline";
import { CONFIG_DEFAULT_DELIVERY_FREQUENCY } from "../../../baseline/pipeline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedDeliveryChannel, ObservedDeliveryInfo, ObservedState } from "../../model";
import { blocked, errorFinding, verdict, type CheckContext } from "../common";
import { isFinding, pipelineConfigIntent, type PipelineConfigIntent } from "../pipeline-intent";
import { evaluateCells, type DetectionCell } from "../scope";

export const metadata: CheckMetadata = {
  id: "config-delivery-channel",
  title:
    "AWS Config delivers to the Config bucket, encrypted with the Config key, in every governed account and region",
  area: "detection",
  severity: "HIGH",
  risk: "A recorder without its delivery channel, or with one pointing at another bucket or key, records configuration history that never reaches the log-archive account (or lands where the baseline's bucket policy, retention and key do not protect it); a failing delivery loses the history silently while the recorder still says it is recording.",
  remediation: {
    console:
      "AWS Config console (account <account>, region <region>) → Settings → Edit → Delivery method: S3 bucket <config-bucket> (no prefix), KMS key <config-key-arn>, snapshot frequency <delivery-frequency>; if the last delivery failed, read its error and fix the bucket or key policy it names.",
    cli: "aws configservice put-delivery-channel --region <region> --delivery-channel name=<delivery-channel>,s3BucketName=<config-bucket>,s3KmsKeyArn=<config-key-arn>,configSnapshotDeliveryProperties={deliveryFrequency=<delivery-frequency>}; aws configservice describe-delivery-channel-status --region <region>",
    pulumi:
      "The channel is the member baseline's AWS::Config::DeliveryChannel (the orgwarden member-baseline StackSet, or the direct stack in the management account); run `pulumi up` on stack <stack>, and update the StackSet's instances if the stack instance of <account>/<region> has drifted.",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/config/latest/developerguide/manage-delivery-channel.html",
    "https://docs.aws.amazon.com/config/latest/APIReference/API_DescribeDeliveryChannels.html",
    "https://docs.aws.amazon.com/config/latest/APIReference/API_DescribeDeliveryChannelStatus.html",
    "https://docs.aws.amazon.com/config/latest/APIReference/API_ConfigSnapshotDeliveryProperties.html",
  ],
};

type ChannelIntent = PipelineConfigIntent["deliveryChannel"];

const DELIVERIES = [
  ["snapshot", "configuration snapshot (S3)"],
  ["history", "configuration history (S3)"],
  ["stream", "configuration stream (SNS)"],
] as const;

function failedDelivery(what: string, i: ObservedDeliveryInfo): string {
  const when = i.lastAttemptTime ? ` at ${i.lastAttemptTime}` : "";
  const why =
    i.lastErrorCode || i.lastErrorMessage
      ? ` (${[i.lastErrorCode, i.lastErrorMessage].filter(Boolean).join(": ")})`
      : "";
  return `the last ${what} delivery failed${when}${why}`;
}

/**
 * Under Control Tower (manifest controlTower) the enrolled accounts' channel is Control Tower's: it
 * is judged by its name and its bucket (Control Tower's log-archive bucket) and by its deliveries;
 * its prefix, key and frequency are Control Tower's choices, not the baseline's (docs/control-tower.md).
 * The management account keeps orgwarden's channel, judged in full.
 */
function controlTowerChannel(m: AuditManifest, account: string): { name: string; s3BucketName: string } | undefined {
  if (!m.controlTower || account === m.organization.managementAccountId) return undefined;
  return { name: m.controlTower.deliveryChannelName, s3BucketName: m.archive.bucketName };
}

function problemsOf(c: ObservedDeliveryChannel, want: ChannelIntent, ct: boolean): string[] {
  const p: string[] = [];
  const ch = `delivery channel ${c.name}`;
  const bucket = ct ? "Control Tower's log-archive bucket" : "the Config bucket";
  if (c.name !== want.name) p.push(`${ch} is not the ${ct ? "Control Tower" : "baseline's"} channel ${want.name}`);
  if (c.s3BucketName !== want.s3BucketName)
    p.push(`${ch} delivers to bucket ${c.s3BucketName ?? "(none)"}, not to ${bucket} ${want.s3BucketName}`);
  if (ct) {
    for (const [k, what] of DELIVERIES) {
      const i = c.status?.[k];
      if (i?.lastStatus?.toUpperCase() === "FAILURE") p.push(failedDelivery(what, i));
    }
    return p;
  }
  if (c.s3KeyPrefix !== want.s3KeyPrefix)
    p.push(
      `${ch} delivers under the key prefix ${c.s3KeyPrefix ?? "(none)"}, not ${want.s3KeyPrefix ?? "under the bucket's root (no prefix)"}, where the Config bucket's policy admits it`,
    );
  if (c.s3KmsKeyArn !== want.s3KmsKeyArn)
    p.push(
      c.s3KmsKeyArn
        ? `${ch} encrypts with ${c.s3KmsKeyArn}, not with the Config key ${want.s3KmsKeyArn}`
        : `${ch} names no KMS key, so Config does not encrypt with the Config key ${want.s3KmsKeyArn}`,
    );
  const frequency = c.deliveryFrequency ?? CONFIG_DEFAULT_DELIVERY_FREQUENCY;
  if (frequency !== want.deliveryFrequency)
    p.push(`${ch} delivers snapshots every ${frequency}, not every ${want.deliveryFrequency}`);
  for (const [k, what] of DELIVERIES) {
    const i = c.status?.[k];
    // AWS spells it "Failure" (DeliveryStatus); judge the word, not its case.
    if (i?.lastStatus?.toUpperCase() === "FAILURE") p.push(failedDelivery(what, i));
  }
  return p;
}

function judge(o: ObservedState, baseline: ChannelIntent, cell: DetectionCell, m: AuditManifest): Finding {
  const ctChannel = controlTowerChannel(m, cell.account);
  const want: ChannelIntent = ctChannel ? { ...baseline, ...ctChannel } : baseline;
  const scope = { account: cell.account, region: cell.region, resourceArn: accountRoot(cell.account) };
  const stop = blocked(metadata, o, scope, want, cell.entry.configDeliveryChannels);
  if (stop) return stop;
  const channels = cell.entry.configDeliveryChannels.ok ? cell.entry.configDeliveryChannels.value : [];
  if (channels.length === 0)
    return verdict(
      metadata,
      scope,
      want,
      [],
      [
        `account ${cell.account} has no Config delivery channel in ${cell.region}: its recorder cannot deliver to ${want.s3BucketName}`,
      ],
      "",
    );
  const c = channels.find((x) => x.name === want.name) ?? channels[0];
  if (!c.status)
    return errorFinding(
      metadata,
      scope,
      {
        name: "StatusNotReported",
        operation: "DescribeDeliveryChannelStatus",
        service: "config",
        message: `the status response named no channel ${c.name}, so its last deliveries are unknown`,
      },
      want,
    );
  const last = c.status.history?.lastSuccessfulTime;
  return verdict(
    metadata,
    scope,
    want,
    c,
    problemsOf(c, want, ctChannel !== undefined),
    ctChannel
      ? `Control Tower's delivery channel ${c.name} delivers to its log-archive bucket ${want.s3BucketName}; no failed delivery${last ? ` (last history delivery ${last})` : ""}. Its prefix, key and frequency are Control Tower's.`
      : `Delivery channel ${c.name} delivers to ${want.s3BucketName} with the Config key, snapshots every ${want.deliveryFrequency}; no failed delivery${last ? ` (last history delivery ${last})` : ""}.`,
  );
}

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const intent = pipelineConfigIntent(metadata, intended);
  if (isFinding(intent)) return [intent];
  return evaluateCells(
    metadata,
    observed,
    intended,
    intent.deliveryChannel,
    (c) => judge(observed, intent.deliveryChannel, c, intended),
    { memberBaseline: "its Config delivery channel" },
  );
}
