/**
 * The sink policy of the security account's CloudWatch cross-account observability sink (Observability
 * Access Manager): which source accounts may link to it, and which kinds of telemetry they may share.
 *
 * OAM PutSinkPolicy (https://docs.aws.amazon.com/OAM/latest/APIReference/API_PutSinkPolicy.html):
 * the policy grants oam:CreateLink and oam:UpdateLink to source accounts (account ids or an
 * organization) and limits the shared data with the oam:ResourceTypes condition key
 * (AWS::CloudWatch::Metric, AWS::Logs::LogGroup, AWS::XRay::Trace, …), with ForAllValues:StringEquals
 * as in AWS's own examples. CreateLink and UpdateLink both require ResourceTypes (at least one item),
 * so the empty set that ForAllValues would let through never reaches the policy.
 */
import { policy, PolicyDocument } from "./policy-types";

/** What a link to the sink may share: the CIS metrics, nothing else (no log groups, no traces). */
export const SINK_RESOURCE_TYPES = ["AWS::CloudWatch::Metric"] as const;
export type SinkResourceType = (typeof SINK_RESOURCE_TYPES)[number];

export interface SinkPolicyInput {
  /** The accounts that may link, by id. One here: the management account, where the CIS metrics are. */
  sourceAccountIds: string[];
  resourceTypes: readonly SinkResourceType[];
}

/**
 * Least privilege: the named accounts only (not the organization: no other account has anything the
 * dashboard shows), for exactly the resource types they link.
 */
export function observabilitySinkPolicy(i: SinkPolicyInput): PolicyDocument {
  if (i.sourceAccountIds.length === 0) throw new Error("observabilitySinkPolicy: sourceAccountIds must not be empty");
  if (i.resourceTypes.length === 0) throw new Error("observabilitySinkPolicy: resourceTypes must not be empty");
  return policy([
    {
      Sid: "LinkTheManagementAccountsMetrics",
      Effect: "Allow",
      Principal: { AWS: [...i.sourceAccountIds] },
      Action: ["oam:CreateLink", "oam:UpdateLink"],
      Resource: "*",
      Condition: { "ForAllValues:StringEquals": { "oam:ResourceTypes": [...i.resourceTypes] } },
    },
  ]);
}
