/**
 * The remediation's CreateFlowLogs request, sent as-is through the real AWS SDK v3 EC2 client to
 * moto's EC2: the parameter names and values are ones the API accepts, and the flow log it creates
 * carries the exact format, interval and S3 destination.
 */
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateFlowLogsCommand, CreateVpcCommand, DescribeFlowLogsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFlowLogsRequest, FLOW_LOG_FORMAT } from "../../../baseline/network";
import { MOTO_CREDENTIALS, useMoto } from "../../helpers/moto";

const REGION = "us-east-1";
const BUCKET = "orgwarden-prod-flow-logs-111111111111";

describe("createFlowLogsRequest against moto's EC2", () => {
  const moto = useMoto();
  let ec2: EC2Client;
  let s3: S3Client;
  beforeAll(() => {
    const config = { region: REGION, endpoint: moto.endpoint, credentials: { ...MOTO_CREDENTIALS }, maxAttempts: 1 };
    ec2 = new EC2Client(config);
    s3 = new S3Client({ ...config, forcePathStyle: true });
  });
  afterAll(() => {
    ec2.destroy();
    s3.destroy();
  });

  it("creates one ACTIVE flow log of ALL traffic to the bucket, with the exact format and 60 s interval", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }))).Vpc!.VpcId!;
    const created = await ec2.send(new CreateFlowLogsCommand(createFlowLogsRequest(`arn:aws:s3:::${BUCKET}`, vpcId)));
    expect(created.Unsuccessful).toEqual([]);
    expect(created.FlowLogIds).toHaveLength(1);
    const [fl] = (await ec2.send(new DescribeFlowLogsCommand({ Filter: [{ Name: "resource-id", Values: [vpcId] }] })))
      .FlowLogs!;
    expect([
      fl.FlowLogStatus,
      fl.ResourceId,
      fl.TrafficType,
      fl.LogDestinationType,
      fl.LogDestination,
      fl.LogFormat,
      fl.MaxAggregationInterval,
    ]).toEqual(["ACTIVE", vpcId, "ALL", "s3", `arn:aws:s3:::${BUCKET}`, FLOW_LOG_FORMAT, 60]);
  });

  it("is refused (in Unsuccessful, HTTP 200) when the destination bucket does not exist: why the document asserts ACTIVE", async () => {
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: "10.1.0.0/16" }))).Vpc!.VpcId!;
    const r = await ec2.send(new CreateFlowLogsCommand(createFlowLogsRequest("arn:aws:s3:::no-such-bucket", vpcId)));
    expect(r.FlowLogIds).toEqual([]);
    expect(r.Unsuccessful?.map((u) => u.ResourceId)).toEqual([vpcId]);
  });
});
