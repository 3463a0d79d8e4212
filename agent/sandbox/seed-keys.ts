/**
 * The baseline's other customer keys (besides the log key, seed-logging.ts): the trail log group's
 * (management; not under controlTower, where the trail is Control Tower's), the two alert topics'
 * (security, management) and the agent log groups' (security), each with rotation on and its alias,
 * from the same baseline/ documents and infra's default names. The Config and flow-log keys are laid
 * with their buckets (seed-logging.ts) and listed by the seeder too. Returns the manifest's `keys.others`.
 */
import { agentLogGroupNames } from "../../baseline/audit-agent-deployment";
import { CreateAliasCommand, CreateKeyCommand, EnableKeyRotationCommand, KMSClient } from "@aws-sdk/client-kms";
import { logGroupKeyPolicy, roleArn, type AuditManifest, type PolicyDocument } from "../../baseline";
import { alertKeyPolicy } from "../../baseline/detection";
import { SANDBOX, sandboxAgentFunctionName, type SandboxAccounts } from "./layout";
import type { SandboxSession } from "./session";

export type KeyIntent = NonNullable<AuditManifest["keys"]>["others"][number];

interface KeySpec {
  name: string;
  /** infra's logical names of the key and its alias (the sandbox inventory records them as laid). */
  laid: { key: string; alias: string };
  purpose: string;
  account: string;
  aliasName: string;
  policy: PolicyDocument;
}

/** infra's step-functions engine (the default): the single function, its three steps and the state machine. */
function agentLogGroups(stack: string): string[] {
  return Object.values(agentLogGroupNames(sandboxAgentFunctionName(stack), "step-functions")) as string[];
}

/** infra's `alias/<namePrefix>-config` (infra/detection/detection-baseline.ts) with the default prefix. */
export const CONFIG_KEY_ALIAS = "alias/orgwarden-config";

export function sandboxKeySpecs(stack: string, home: string, a: SandboxAccounts, controlTower = false): KeySpec[] {
  const logGroupKey: KeySpec[] = controlTower
    ? []
    : [
        {
          name: "log-group-key",
          laid: { key: "log-group-key-key", alias: "log-group-key-alias" },
          purpose: "the organization trail's CloudWatch Logs group key",
          account: a.management,
          aliasName: `${SANDBOX.keyAlias}-log-group`,
          policy: logGroupKeyPolicy({
            accountId: a.management,
            region: home,
            logGroupName: SANDBOX.logGroupName,
            adminPrincipalArns: [],
          }),
        },
      ];
  return [
    ...logGroupKey,
    {
      name: "orgwarden-security-alerts-key",
      laid: { key: "detection-security-alerts-key", alias: "detection-security-alerts-alias" },
      purpose: "the orgwarden-security-alerts alert topic's key",
      account: a.security,
      aliasName: "alias/orgwarden-security-alerts",
      policy: alertKeyPolicy({
        accountId: a.security,
        region: home,
        publisherRoleArns: [roleArn(a.security, SANDBOX.agentRoleName)],
      }),
    },
    {
      name: "orgwarden-cis-alarms-key",
      laid: { key: "detection-cis-alarms-topic-key", alias: "detection-cis-alarms-topic-alias" },
      purpose: "the orgwarden-cis-alarms alert topic's key",
      account: a.management,
      aliasName: `alias/${SANDBOX.cisAlarmTopicName}`,
      policy: alertKeyPolicy({ accountId: a.management }),
    },
    {
      name: "audit-agent-logs-key",
      laid: { key: "audit-agent-logs-key", alias: "audit-agent-logs-key-alias" },
      purpose: "the audit agent's CloudWatch Logs key",
      account: a.security,
      aliasName: `alias/orgwarden-${stack}-audit-agent-logs`,
      policy: logGroupKeyPolicy({
        accountId: a.security,
        region: home,
        logGroupName: agentLogGroups(stack),
        adminPrincipalArns: [roleArn(a.security, SANDBOX.deployRoleName)],
        auditReadRoleArns: [roleArn(a.security, SANDBOX.readRoleName)],
      }),
    },
  ];
}

/** Rotation on and the alias pointed at it, as infra/customer-key.ts lays every key. */
export async function finishKey(kms: KMSClient, keyId: string, aliasName: string): Promise<void> {
  await kms.send(new EnableKeyRotationCommand({ KeyId: keyId }));
  await kms.send(new CreateAliasCommand({ AliasName: aliasName, TargetKeyId: keyId }));
}

export async function seedOtherKeys(c: {
  session: SandboxSession;
  home: string;
  stack: string;
  accounts: SandboxAccounts;
  controlTower?: boolean;
  /** Keys already laid with what they encrypt, by spec name (the log group's, seedLogGroup): only their alias is added. */
  existing?: Record<string, string>;
}): Promise<KeyIntent[]> {
  const { session, home } = c;
  const out: KeyIntent[] = [];
  for (const k of sandboxKeySpecs(c.stack, home, c.accounts, c.controlTower === true)) {
    const kms = await session.client(KMSClient, k.account, home);
    const laidArn = c.existing?.[k.name];
    if (laidArn) {
      await kms.send(
        new CreateAliasCommand({ AliasName: k.aliasName, TargetKeyId: laidArn.slice(laidArn.lastIndexOf("/") + 1) }),
      );
      session.inventory.lay("aws:kms/alias:Alias", k.laid.alias);
      out.push(intent(k, laidArn));
      continue;
    }
    const r = await kms.send(
      new CreateKeyCommand({ Description: `orgwarden: ${k.purpose}`, Policy: JSON.stringify(k.policy) }),
    );
    const arn = r.KeyMetadata?.Arn;
    const id = r.KeyMetadata?.KeyId;
    if (!arn || !id) throw new Error(`CreateKey returned no key ARN for ${k.name}`);
    session.inventory.lay("aws:kms/key:Key", k.laid.key);
    await finishKey(kms, id, k.aliasName);
    session.inventory.lay("aws:kms/alias:Alias", k.laid.alias);
    out.push(intent(k, arn));
  }
  return out;
}

export function intent(k: Omit<KeySpec, "account" | "laid">, arn: string): KeyIntent {
  return {
    name: k.name,
    purpose: k.purpose,
    arn,
    aliasName: k.aliasName,
    expectedKeyPolicy: k.policy,
    allowedGrantees: [],
    rotationEnabled: true,
  };
}
