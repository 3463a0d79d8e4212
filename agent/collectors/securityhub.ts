/** Security Hub (each account × region): whether the account is subscribed. */
import { DescribeHubCommand, type SecurityHubClient } from "@aws-sdk/client-securityhub";
import { collected, failed, type Collected } from "../model";
import { toCollectError, type CallScope } from "./common";

export async function collectSecurityHub(
  sh: SecurityHubClient,
  account: string,
  region: string,
): Promise<Collected<boolean>> {
  const scope: CallScope = { service: "securityhub", operation: "DescribeHub", account, region };
  try {
    await sh.send(new DescribeHubCommand({}));
    return collected(true);
  } catch (err) {
    // DescribeHub answers "not subscribed" with InvalidAccessException; every other error is a failed read.
    if (err instanceof Error && err.name === "InvalidAccessException" && /not subscribed/i.test(err.message))
      return collected(false);
    return failed(toCollectError(err, scope));
  }
}
