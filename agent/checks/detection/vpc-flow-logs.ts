/**
 * vpc-flow-logs: every VPC of every audited account × governed region has a flow log as the member
 * baseline's remediation lays it (baseline/network/flow-log-remediation.ts createFlowLogsRequest):
 * ALL traffic, to the central flow-log bucket of the log-archive account, ACTIVE and not failing
 * delivery, with every field of the baseline's custom format. The file format and partitioning
 * (Parquet, hourly, not Hive) are judged when DescribeFlowLogs reports them (DestinationOptions), and
 * the finding says when it did not. One finding per VPC; an account with no VPC in a region PASSes
 * saying so. The Config rule VPC_FLOW_LOGS_ENABLED counts any ALL-traffic flow log as compliant and
 * leaves it alone; this check does not: logs that do not reach the archive are a FAIL.
 */
import { bucketArn, type AuditManifest } from "../../../baseline";
import { FLOW_LOG_DESTINATION_OPTIONS, FLOW_LOG_FIELDS } from "../../../baseline/network/flow-log-remediation";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedFlowLog, ObservedState, ObservedVpc } from "../../model";
import { finding, type CheckContext, type Scope } from "../common";
import { evaluateCells } from "../scope";
import { vpcCellFindings } from "../vpc-scope";

export const metadata: CheckMetadata = {
  id: "vpc-flow-logs",
  title: "Every VPC has an active flow log of all traffic to the central flow-log bucket, in the baseline's format",
  area: "detection",
  severity: "MEDIUM",
  risk: "A VPC without such a flow log leaves its traffic unrecorded in the archive: a responder cannot see which hosts a compromised workload talked to, nor rejected connection attempts (CIS AWS Foundations 3.9).",
  remediation: {
    console:
      "VPC console (the account, the region) → Your VPCs → the VPC → Flow logs → Create flow log: filter All, maximum aggregation interval 1 minute, destination Amazon S3 bucket arn:aws:s3:::<flow-log-bucket>, custom format with the baseline's fields, Parquet, hourly partitions. Or let the member baseline's remediation do it: AWS Config console → Rules → <flow-log-rule> → select the VPC → Remediate.",
    cli: "aws ec2 create-flow-logs --resource-type VPC --resource-ids <vpc-id> --traffic-type ALL --log-destination-type s3 --log-destination arn:aws:s3:::<flow-log-bucket> --max-aggregation-interval 60 --destination-options FileFormat=parquet,HiveCompatiblePartitions=false,PerHourPartition=true --log-format '<flow-log-format>' --region <region>",
    pulumi:
      "Run `pulumi up` on the orgwarden stack: the member baseline (StackSet and direct stacks) lays the Config rule VPC_FLOW_LOGS_ENABLED and its automatic remediation, which creates the flow log on a VPC that has none (network.flowLogs.enabled). A VPC whose only flow log goes elsewhere is left alone by that rule: add the central one with the CLI command.",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3.html",
    "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeFlowLogs.html",
    "https://docs.aws.amazon.com/config/latest/developerguide/vpc-flow-logs-enabled.html",
  ],
};

/** The ${field} tokens of a custom format (the default format is reported spelled out the same way). */
export function formatFields(logFormat: string | undefined): string[] {
  return [...(logFormat ?? "").matchAll(/\$\{([a-z0-9-]+)\}/g)].map((m) => m[1]);
}

/** The bucket ARN, or a key prefix under it, as LogDestination names it. */
function deliversTo(f: ObservedFlowLog, bucket: string): boolean {
  const arn = bucketArn(bucket);
  const d = f.logDestination ?? "";
  return f.logDestinationType === "s3" && (d === arn || d.startsWith(`${arn}/`));
}

/** What keeps one flow log of the VPC from being the baseline's; empty when it is. */
function problemsOf(f: ObservedFlowLog): string[] {
  const out: string[] = [];
  if (f.trafficType !== "ALL") out.push(`it records ${f.trafficType ?? "no"} traffic, not ALL`);
  if (f.flowLogStatus !== "ACTIVE") out.push(`it is ${f.flowLogStatus ?? "in no state"}, not ACTIVE`);
  if (f.deliverLogsStatus === "FAILED")
    out.push(`its delivery FAILED${f.deliverLogsErrorMessage ? ` (${f.deliverLogsErrorMessage})` : ""}`);
  const fields = new Set(formatFields(f.logFormat));
  const missing = FLOW_LOG_FIELDS.filter((x) => !fields.has(x));
  if (missing.length > 0) out.push(`its format lacks ${missing.join(", ")}`);
  const o = f.destinationOptions;
  if (o) {
    const want = FLOW_LOG_DESTINATION_OPTIONS;
    if (o.fileFormat !== want.FileFormat)
      out.push(`its file format is ${o.fileFormat ?? "unset"}, not ${want.FileFormat}`);
    if (o.perHourPartition !== want.PerHourPartition) out.push("its partitions are daily, not hourly");
    if (o.hiveCompatiblePartitions !== want.HiveCompatiblePartitions)
      out.push("its prefixes are Hive-compatible, not the layout the bucket policy and the Athena table read");
  }
  return out;
}

function judgeVpc(vpc: ObservedVpc, all: ObservedFlowLog[], bucket: string, intended: unknown, scope: Scope): Finding {
  const own = all.filter((f) => f.resourceId === vpc.vpcId);
  const observed = own.map((f) => ({
    flowLogId: f.flowLogId,
    trafficType: f.trafficType ?? null,
    logDestination: f.logDestination ?? null,
    flowLogStatus: f.flowLogStatus ?? null,
    deliverLogsStatus: f.deliverLogsStatus ?? null,
    logFormat: f.logFormat ?? null,
    destinationOptions: f.destinationOptions ?? null,
  }));
  const central = own.filter((f) => deliversTo(f, bucket));
  const judged = central.map((f) => ({ f, problems: problemsOf(f) }));
  const good = judged.find((j) => j.problems.length === 0);
  const where = `VPC ${vpc.vpcId}${vpc.isDefault ? " (the default VPC)" : ""} of account ${scope.account} in ${scope.region}`;
  if (good) {
    const unreported = good.f.destinationOptions
      ? ""
      : " DescribeFlowLogs reported no destination options, so its file format and partitioning were not judged.";
    return finding(metadata, scope, {
      status: "PASS",
      intended,
      observed,
      message: `${where} has flow log ${good.f.flowLogId}: ALL traffic to ${bucketArn(bucket)}, ACTIVE, in the baseline's format.${unreported}`,
    });
  }
  let message: string;
  if (own.length === 0) message = `${where} has no flow log: its traffic is not recorded anywhere.`;
  else if (central.length === 0)
    message = `${where} has no flow log to ${bucketArn(bucket)}: ${own.map((f) => `${f.flowLogId} delivers to ${f.logDestination ?? f.logDestinationType ?? "nothing"}`).join(", ")}, outside the archive. The Config rule counts such a flow log as compliant and does not add the central one; create it.`;
  else
    message = `${where} has no usable flow log to ${bucketArn(bucket)}: ${judged.map((j) => `${j.f.flowLogId}: ${j.problems.join(", ")}`).join("; ")}.`;
  return finding(metadata, scope, { status: "FAIL", intended, observed, message });
}

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const flowLogs = intended.flowLogs;
  if (!flowLogs)
    return [
      finding(
        metadata,
        { account: "-", region: "global", resourceArn: "arn:aws:ec2:*" },
        {
          status: "NOT_APPLICABLE",
          intended: "no VPC Flow Logs (network.flowLogs.enabled is false)",
          observed: null,
          message: `${metadata.title}: not applicable, the audit manifest names no flow-log bucket (the stack sets network.flowLogs.enabled to false).`,
        },
      ),
    ];
  const want = {
    trafficType: "ALL",
    logDestination: bucketArn(flowLogs.bucketName),
    flowLogStatus: "ACTIVE",
    fields: [...FLOW_LOG_FIELDS],
    destinationOptions: FLOW_LOG_DESTINATION_OPTIONS,
  };
  return evaluateCells(
    metadata,
    observed,
    intended,
    want,
    (c) =>
      vpcCellFindings(
        metadata,
        observed,
        c,
        want,
        (n) => n.flowLogs,
        (vpc, all, scope) => judgeVpc(vpc, all, flowLogs.bucketName, want, scope),
        "DescribeFlowLogs",
      ),
    { memberBaseline: "its VPC Flow Logs remediation" },
  );
}
