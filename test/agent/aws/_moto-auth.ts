/**
 * Moto's IAM enforcement, switched on for one test: after POST /moto-api/reset-auth with "0", every
 * request must be signed by a known IAM user's or assumed role's key and be allowed by its policies.
 * Always switch it back off (the server is shared by the worker's other tests).
 */
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  IAMClient,
} from "@aws-sdk/client-iam";
import type { PolicyDocument } from "../../../baseline";

async function resetAuth(endpoint: string, count: string): Promise<void> {
  const r = await fetch(`${endpoint}/moto-api/reset-auth`, { method: "POST", body: count });
  if (!r.ok) throw new Error(`moto reset-auth ${count} answered HTTP ${r.status}`);
}

export async function withIamEnforcement<T>(endpoint: string, body: () => Promise<T>): Promise<T> {
  await resetAuth(endpoint, "0");
  try {
    return await body();
  } finally {
    await resetAuth(endpoint, "inf");
  }
}

/** Creates an IAM user (in the account the client acts in) with one managed policy; returns its static keys. */
export async function createUserWithPolicy(
  iam: IAMClient,
  userName: string,
  doc: PolicyDocument,
): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  await iam.send(new CreateUserCommand({ UserName: userName }));
  const arn = (
    await iam.send(new CreatePolicyCommand({ PolicyName: `${userName}-policy`, PolicyDocument: JSON.stringify(doc) }))
  ).Policy!.Arn!;
  await iam.send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: arn }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: userName }))).AccessKey!;
  return { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
}
