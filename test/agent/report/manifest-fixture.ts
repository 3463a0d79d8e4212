/** The sandbox's manifest over fixed ids: what infra publishes, without a moto server. */
import type { AuditManifest } from "../../../baseline";
import { sandboxManifest as build } from "../../../agent/sandbox/layout";

export const IDS = {
  stack: "prod",
  homeRegion: "us-east-1",
  governedRegions: ["us-east-1", "eu-west-1"],
  orgId: "o-a1b2c3d4e5",
  rootId: "r-ab12",
  ous: { security: "ou-ab12-securit1", workloads: "ou-ab12-workload" },
  accounts: {
    management: "111111111111",
    logArchive: "222222222222",
    security: "333333333333",
    members: ["444444444444"],
  },
  keyArn: "arn:aws:kms:us-east-1:333333333333:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
  scpIds: ["p-abcd1234", "p-efgh5678"],
  flowLogKeyArn: "arn:aws:kms:us-east-1:222222222222:key/1a2b3c4d-5e6f-7081-92a3-b4c5d6e7f809",
  configKeyArn: "arn:aws:kms:us-east-1:222222222222:key/2b3c4d5e-6f70-4182-93a4-c5d6e7f8091a",
  dnsQueryLogKeyArn: "arn:aws:kms:us-east-1:222222222222:key/3c4d5e6f-7081-4293-a4b5-d6e7f8091a2b",
};

export function sandboxManifest(): AuditManifest {
  return build(IDS);
}
