/**
 * What moto lacks of the StackSet reads, recorded: moto answers DescribeStackSet, ListStackInstances
 * and DescribeStacks with the status but fills no drift (no StackSetDriftDetectionDetails, no
 * DriftStatus, no DriftInformation). Each call still reaches moto; "in-sync" adds to its answer what
 * a completed drift detection an hour before the run reports (IN_SYNC), in the API's own shape;
 * "none" passes moto's answer through unchanged (stackset-drift is then FAIL, drift unknown).
 */
import { mockClient } from "aws-sdk-client-mock";
import {
  CloudFormationClient,
  DescribeStacksCommand,
  DescribeStackSetCommand,
  ListStackInstancesCommand,
  type DescribeStacksCommandOutput,
  type DescribeStackSetCommandOutput,
  type ListStackInstancesCommandOutput,
} from "@aws-sdk/client-cloudformation";

export type RecordedStackSetDrift = "in-sync" | "none";

type Send = (this: CloudFormationClient, command: unknown) => Promise<unknown>;

export function installRecordedStackSetDrift(drift: RecordedStackSetDrift, now: Date): () => void {
  // The inherited smithy send, captured before the stub shadows it, so the pass-through really reaches moto.
  const realSend = CloudFormationClient.prototype.send as unknown as Send;
  const cfn = mockClient(CloudFormationClient);
  const checked = new Date(now.getTime() - 3_600_000);
  const call = async <T>(Cmd: new (input: any) => any, input: unknown, getClient: () => CloudFormationClient) =>
    (await realSend.call(getClient(), new Cmd(input))) as T;
  const inSync = drift === "in-sync";
  cfn.on(DescribeStackSetCommand).callsFake(async (input: unknown, getClient: () => CloudFormationClient) => {
    const r = await call<DescribeStackSetCommandOutput>(DescribeStackSetCommand, input, getClient);
    if (!inSync || !r.StackSet) return r;
    return {
      ...r,
      StackSet: {
        ...r.StackSet,
        StackSetDriftDetectionDetails: {
          DriftStatus: "IN_SYNC",
          DriftDetectionStatus: "COMPLETED",
          LastDriftCheckTimestamp: checked,
          DriftedStackInstancesCount: 0,
          FailedStackInstancesCount: 0,
        },
      },
    };
  });
  cfn.on(ListStackInstancesCommand).callsFake(async (input: unknown, getClient: () => CloudFormationClient) => {
    const r = await call<ListStackInstancesCommandOutput>(ListStackInstancesCommand, input, getClient);
    if (!inSync) return r;
    return {
      ...r,
      Summaries: (r.Summaries ?? []).map((s) => ({ ...s, DriftStatus: "IN_SYNC", LastDriftCheckTimestamp: checked })),
    };
  });
  cfn.on(DescribeStacksCommand).callsFake(async (input: unknown, getClient: () => CloudFormationClient) => {
    const r = await call<DescribeStacksCommandOutput>(DescribeStacksCommand, input, getClient);
    if (!inSync) return r;
    return {
      ...r,
      Stacks: (r.Stacks ?? []).map((s) => ({
        ...s,
        DriftInformation: { StackDriftStatus: "IN_SYNC", LastCheckTimestamp: checked },
      })),
    };
  });
  return () => cfn.restore();
}
