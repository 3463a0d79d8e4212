/** Inspector (each account × region): the scan status for EC2, ECR, Lambda and Lambda code. */
import { BatchGetAccountStatusCommand, type Inspector2Client } from "@aws-sdk/client-inspector2";
import type { Collected } from "../model";
import { attempt, type CallScope } from "./common";

export async function collectInspector(
  ins: Inspector2Client,
  account: string,
  region: string,
): Promise<Collected<{ ec2: string; ecr: string; lambda: string; lambdaCode?: string } | undefined>> {
  const scope: CallScope = { service: "inspector2", operation: "BatchGetAccountStatus", account, region };
  return attempt(scope, async () => {
    const r = await ins.send(new BatchGetAccountStatusCommand({ accountIds: [account] }));
    const failure = r.failedAccounts?.find((f) => f.accountId === account);
    // A per-account failure inside a 200 response is still a failed read, with the code AWS gave it.
    if (failure)
      throw Object.assign(new Error(failure.errorMessage ?? "account status not returned"), {
        name: failure.errorCode ?? "FailedAccount",
      });
    const s = r.accounts?.find((a) => a.accountId === account)?.resourceState;
    if (!s) return undefined;
    return {
      ec2: s.ec2?.status ?? "UNKNOWN",
      ecr: s.ecr?.status ?? "UNKNOWN",
      lambda: s.lambda?.status ?? "UNKNOWN",
      lambdaCode: s.lambdaCode?.status ?? "UNKNOWN",
    };
  });
}
