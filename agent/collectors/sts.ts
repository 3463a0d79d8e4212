/** STS: who the starting credentials are, and entry into other accounts through the read role. */
import { AssumeRoleCommand, GetCallerIdentityCommand, type STSClient } from "@aws-sdk/client-sts";
import { roleArn } from "../../baseline/arns";
import type { Collected } from "../model";
import { attempt } from "./common";

export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration?: Date;
}

export function callerAccount(sts: STSClient, region: string): Promise<Collected<string>> {
  return attempt({ service: "sts", operation: "GetCallerIdentity", account: "-", region }, async () => {
    const r = await sts.send(new GetCallerIdentityCommand({}));
    if (!r.Account)
      throw Object.assign(new Error("GetCallerIdentity returned no account"), { name: "MalformedResponse" });
    return r.Account;
  });
}

export interface AssumeRoleRequest {
  account: string;
  roleName: string;
  externalId?: string;
  region: string;
}

export function assumeReadRole(sts: STSClient, req: AssumeRoleRequest): Promise<Collected<TemporaryCredentials>> {
  return attempt({ service: "sts", operation: "AssumeRole", account: req.account, region: req.region }, async () => {
    const r = await sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn(req.account, req.roleName),
        RoleSessionName: "orgwarden-audit",
        ExternalId: req.externalId,
        DurationSeconds: 3600,
      }),
    );
    const c = r.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
      throw Object.assign(new Error("AssumeRole returned no credentials"), { name: "MalformedResponse" });
    }
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    };
  });
}

/** Enters a role named by its whole ARN (the log auditor role of audit.logAuditorRoleArn), with its own session name. */
export function assumeRoleArn(
  sts: STSClient,
  arn: string,
  region: string,
  sessionName: string,
): Promise<Collected<TemporaryCredentials>> {
  const account = arn.split(":")[4] ?? "-";
  return attempt({ service: "sts", operation: "AssumeRole", account, region }, async () => {
    const r = await sts.send(
      new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: sessionName, DurationSeconds: 3600 }),
    );
    const c = r.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
      throw Object.assign(new Error("AssumeRole returned no credentials"), { name: "MalformedResponse" });
    }
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    };
  });
}
