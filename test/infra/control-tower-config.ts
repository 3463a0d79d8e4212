/**
 * The Control Tower variant of each example stack (controlTower.enabled), as a test override rather
 * than a third Pulumi.<stack>.yaml: the example stacks stay the two shapes users copy, and the
 * variant is exactly "this stack, on a landing zone" (the keys Control Tower owns unset, its
 * accounts and key named, its execution role exempt).
 */
import type { StackName } from "./stack";

const j = (v: unknown) => JSON.stringify(v);

export const CT_KEY = {
  dev: "arn:aws:kms:eu-west-1:111122223333:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
  prod: "arn:aws:kms:us-east-1:444455556666:key/1a2b3c4d-5e6f-7081-92a3-b4c5d6e7f809",
} as const;

/** The log-archive account ids of the variants (prod's is the example stack's own). */
export const CT_LOG_ARCHIVE = { dev: "222233334444", prod: "555566667777" } as const;

const EXEMPT = [
  "arn:aws:iam::*:role/OrganizationAccountAccessRole",
  "arn:aws:iam::*:role/stacksets-exec-*",
  "arn:aws:iam::*:role/orgwarden-break-glass",
  "arn:aws:iam::*:role/AWSControlTowerExecution",
];

export function controlTowerOverrides(stack: StackName): Record<string, string | undefined> {
  const common = {
    "controlTower.enabled": "true",
    "controlTower.kmsKeyArn": CT_KEY[stack],
    "scp.exemptPrincipalArns": j(EXEMPT),
    // The analyst reads through the archive's and the log key's policies, which Control Tower owns (a config rule refuses both on).
    "athena.enabled": "false",
    "athena.analystPrincipals": undefined,
    "athena.resultRetentionDays": undefined,
    "athena.bytesScannedCutoffGb": undefined,
  };
  if (stack === "prod") return { ...common, "trail.s3DataEvents": undefined, "trail.lambdaDataEvents": undefined };
  return {
    ...common,
    "organization.mode": "adopt",
    "organization.id": "o-devexample1",
    "organization.rootId": "r-dev1",
    "logArchive.accountId": CT_LOG_ARCHIVE.dev,
    "security.accountId": "333344445555",
    "trail.name": undefined,
    "logArchive.transitionDays": undefined,
  };
}
