/** Drifts of Inspector's organization (security account, one region): what a console click undoes of infra/detection/inspector.ts. */
import {
  DescribeOrganizationConfigurationCommand,
  DisassociateMemberCommand,
  Inspector2Client,
  UpdateOrganizationConfigurationCommand,
} from "@aws-sdk/client-inspector2";
import type { InspectorAutoEnableKey } from "../../baseline/detection/inspector";
import type { Sandbox } from "./seed";

/** The organization configuration keeps every other type as laid and stops auto-enabling `scanType`. */
export async function turnInspectorAutoEnableOff(
  sb: Sandbox,
  region: string,
  scanType: InspectorAutoEnableKey,
): Promise<void> {
  const ins = await sb.session.client(Inspector2Client, sb.accounts.security, region);
  const current = (await ins.send(new DescribeOrganizationConfigurationCommand({}))).autoEnable;
  if (!current) throw new Error(`inspector-auto-enable-off: Inspector in ${region} has no organization configuration`);
  await ins.send(new UpdateOrganizationConfigurationCommand({ autoEnable: { ...current, [scanType]: false } }));
}

export async function disassociateInspectorMember(sb: Sandbox, account: string, region: string): Promise<void> {
  const ins = await sb.session.client(Inspector2Client, sb.accounts.security, region);
  await ins.send(new DisassociateMemberCommand({ accountId: account }));
}
