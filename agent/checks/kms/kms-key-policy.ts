import type { AuditManifest } from "../../../baseline";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedState } from "../../model";
import { blocked, finding, type CheckContext } from "../common";
import { baselineKeys, keyTitle } from "../kms-keys";
import { policyDriftFindings, trustedPrincipals } from "../policy-drift";

export const metadata: CheckMetadata = {
  id: "kms-key-policy",
  title: "Every key the baseline lays has a policy that means exactly what the baseline intends",
  area: "kms",
  severity: "HIGH",
  risk: "A key policy is the only thing that decides who can decrypt what the key protects (the organization's logs, the trail's log group, Config history, flow logs, alerts, the agent's own logs): an added principal can read it all, a changed condition can let a service encrypt for another resource, a removed statement can stop delivery.",
  remediation: {
    console:
      "KMS console (the key's account and region, from the finding's ARN) → Customer managed keys → the key → Key policy → Edit: restore the intended document (the finding names the drifted statement).",
    cli: "aws kms put-key-policy --key-id <key-arn> --policy-name default --policy file://<intended-file>",
    pulumi:
      "Run `pulumi up` on the orgwarden stack: every aws.kms.Key policy is built from baseline/ (logKeyPolicy, logGroupKeyPolicy, configKeyPolicy, flowLogKeyPolicy, alertKeyPolicy).",
    document: "key-policy",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html",
    "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html",
  ],
};

/** One verdict per key (resource = its ARN): the log key's findings keep the ids they always had. */
export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const trusted = trustedPrincipals(observed, intended);
  return baselineKeys(observed, intended).flatMap((k) => {
    const want = k.expectedKeyPolicy;
    if (!want)
      return [
        finding(metadata, k.scope, {
          status: "NOT_APPLICABLE",
          intended: "the landing zone key's own policy (orgwarden publishes none)",
          observed: "not compared",
          message: `The key policy of ${k.arn} was not judged: it is the AWS Control Tower landing zone's key (controlTower.kmsKeyArn), whose policy its owner wrote for Control Tower, and orgwarden lays no document for it (docs/control-tower.md). Its state, rotation and grants are still judged.`,
        }),
      ];
    const stop = blocked(metadata, observed, k.scope, want, k.observed.policy);
    if (stop) return [stop];
    const have = k.observed.policy.ok ? k.observed.policy.value : want;
    return policyDriftFindings(metadata, k.scope, keyTitle("The key policy of", k), want, have, trusted);
  });
}
