import { afterEach, describe, expect, it } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import {
  CloudTrailClient,
  CreateTrailCommand,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
  StopLoggingCommand,
} from "@aws-sdk/client-cloudtrail";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { collectCloudTrail, normalizeSelectors } from "../../../agent/collectors/cloudtrail";
import { useMoto } from "../../helpers/moto";
import { agentClients, MOTO_DEFAULT_ACCOUNT, REGION } from "./_clients";

const moto = useMoto();
let env: ReturnType<typeof agentClients>;
afterEach(() => env?.destroy());

const NAME = "org-trail";
const ARN = `arn:aws:cloudtrail:${REGION}:${MOTO_DEFAULT_ACCOUNT}:trail/${NAME}`;

async function trailClient(): Promise<CloudTrailClient> {
  env = agentClients(moto.endpoint);
  const s3 = await env.get(S3Client, MOTO_DEFAULT_ACCOUNT);
  await s3.send(new CreateBucketCommand({ Bucket: "trail-bucket" }));
  return env.get(CloudTrailClient, MOTO_DEFAULT_ACCOUNT);
}

describe("collectCloudTrail (moto)", () => {
  it("reads the trail's settings, logging status and selectors", async () => {
    const ct = await trailClient();
    await ct.send(
      new CreateTrailCommand({
        Name: NAME,
        S3BucketName: "trail-bucket",
        IsMultiRegionTrail: true,
        IncludeGlobalServiceEvents: true,
        EnableLogFileValidation: true,
      }),
    );
    await ct.send(new StartLoggingCommand({ Name: NAME }));
    await ct.send(
      new PutEventSelectorsCommand({
        TrailName: NAME,
        EventSelectors: [{ ReadWriteType: "All", IncludeManagementEvents: true }],
      }),
    );

    const o = await collectCloudTrail(ct, MOTO_DEFAULT_ACCOUNT, REGION, { name: NAME, arn: ARN });

    expect(o.trails).toEqual({
      ok: true,
      value: [
        {
          name: NAME,
          arn: ARN,
          homeRegion: REGION,
          isOrganizationTrail: false,
          isMultiRegionTrail: true,
          includeGlobalServiceEvents: true,
          logFileValidationEnabled: true,
          kmsKeyId: undefined,
          s3BucketName: "trail-bucket",
          cloudWatchLogsLogGroupArn: undefined,
          cloudWatchLogsRoleArn: undefined,
        },
      ],
    });
    expect(o.status.ok && o.status.value?.isLogging).toBe(true);
    expect(o.eventSelectors).toEqual({
      ok: true,
      value: { kind: "basic", selectors: [{ fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] }] },
    });
  });

  it("reads advanced selectors with every operator as PutEventSelectors stored them", async () => {
    const ct = await trailClient();
    await ct.send(new CreateTrailCommand({ Name: NAME, S3BucketName: "trail-bucket" }));
    await ct.send(
      new PutEventSelectorsCommand({
        TrailName: NAME,
        AdvancedEventSelectors: [
          {
            Name: "Management except KMS",
            FieldSelectors: [
              { Field: "eventCategory", Equals: ["Management"] },
              { Field: "eventSource", NotEquals: ["kms.amazonaws.com"], NotStartsWith: ["rdsdata."] },
            ],
          },
          {
            Name: "S3 writes",
            FieldSelectors: [
              { Field: "eventCategory", Equals: ["Data"] },
              { Field: "resources.type", Equals: ["AWS::S3::Object"] },
              { Field: "readOnly", Equals: ["false"] },
              { Field: "resources.ARN", StartsWith: ["arn:aws:s3:::a/"], NotEndsWith: [".tmp"], EndsWith: [".json"] },
            ],
          },
        ],
      }),
    );
    const o = await collectCloudTrail(ct, MOTO_DEFAULT_ACCOUNT, REGION, { name: NAME, arn: ARN });
    expect(o.eventSelectors).toEqual({
      ok: true,
      value: {
        kind: "advanced",
        selectors: [
          {
            name: "Management except KMS",
            fieldSelectors: [
              { field: "eventCategory", equals: ["Management"] },
              { field: "eventSource", notEquals: ["kms.amazonaws.com"], notStartsWith: ["rdsdata."] },
            ],
          },
          {
            name: "S3 writes",
            fieldSelectors: [
              { field: "eventCategory", equals: ["Data"] },
              { field: "resources.type", equals: ["AWS::S3::Object"] },
              { field: "readOnly", equals: ["false"] },
              {
                field: "resources.ARN",
                startsWith: ["arn:aws:s3:::a/"],
                endsWith: [".json"],
                notEndsWith: [".tmp"],
              },
            ],
          },
        ],
      },
    });
  });

  it("a stopped trail reads isLogging false", async () => {
    const ct = await trailClient();
    await ct.send(new CreateTrailCommand({ Name: NAME, S3BucketName: "trail-bucket" }));
    await ct.send(new StartLoggingCommand({ Name: NAME }));
    await ct.send(new StopLoggingCommand({ Name: NAME }));
    const o = await collectCloudTrail(ct, MOTO_DEFAULT_ACCOUNT, REGION, { name: NAME, arn: ARN });
    expect(o.status).toMatchObject({ ok: true, value: { isLogging: false } });
  });

  it("no such trail: the list is read and status/selectors are an observed absence", async () => {
    const ct = await trailClient();
    const o = await collectCloudTrail(ct, MOTO_DEFAULT_ACCOUNT, REGION, { name: NAME, arn: ARN });
    expect(o).toEqual({
      trails: { ok: true, value: [] },
      status: { ok: true, value: undefined },
      eventSelectors: { ok: true, value: undefined },
    });
  });
});

describe("collectCloudTrail — recorded AWS responses (moto never fills delivery errors, CloudWatch Logs or digest times)", () => {
  const trail = {
    Name: NAME,
    TrailARN: ARN,
    HomeRegion: REGION,
    S3BucketName: "trail-bucket",
    IsOrganizationTrail: true,
    IsMultiRegionTrail: true,
    IncludeGlobalServiceEvents: true,
    LogFileValidationEnabled: true,
    KmsKeyId: "arn:aws:kms:us-east-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    CloudWatchLogsLogGroupArn: `arn:aws:logs:${REGION}:${MOTO_DEFAULT_ACCOUNT}:log-group:/orgwarden/cloudtrail:*`,
    CloudWatchLogsRoleArn: `arn:aws:iam::${MOTO_DEFAULT_ACCOUNT}:role/orgwarden-cloudtrail-logs`,
    HasCustomEventSelectors: false,
    HasInsightSelectors: false,
  };

  it("recorded: GetTrailStatus with delivery, CloudWatch Logs and digest errors keeps every time and error", async () => {
    const mock = mockClient(CloudTrailClient);
    try {
      mock.on(DescribeTrailsCommand).resolves({ trailList: [trail] });
      mock.on(GetTrailStatusCommand, { Name: ARN }).resolves({
        IsLogging: true,
        LatestDeliveryError: "AccessDenied",
        LatestDeliveryTime: new Date("2026-03-01T09:55:12.000Z"),
        LatestCloudWatchLogsDeliveryError: "CloudWatchLogsException: AccessDeniedException",
        LatestCloudWatchLogsDeliveryTime: new Date("2026-03-01T09:59:01.000Z"),
        LatestDigestDeliveryError: "",
        LatestDigestDeliveryTime: new Date("2026-03-01T09:14:40.000Z"),
        LatestNotificationError: "",
        StartLoggingTime: new Date("2025-11-02T08:00:00.000Z"),
        TimeLoggingStarted: "2025-11-02T08:00:00Z",
        TimeLoggingStopped: "",
      });
      mock.on(GetEventSelectorsCommand, { TrailName: ARN }).resolves({
        TrailARN: ARN,
        AdvancedEventSelectors: [
          { Name: "Management events selector", FieldSelectors: [{ Field: "eventCategory", Equals: ["Management"] }] },
          {
            Name: "S3 data events",
            FieldSelectors: [
              { Field: "eventCategory", Equals: ["Data"] },
              { Field: "resources.type", Equals: ["AWS::S3::Object"] },
            ],
          },
        ],
      });
      const o = await collectCloudTrail(new CloudTrailClient({ region: REGION }), MOTO_DEFAULT_ACCOUNT, REGION, {
        name: NAME,
        arn: ARN,
      });
      expect(o.status).toEqual({
        ok: true,
        value: {
          isLogging: true,
          latestDeliveryTime: "2026-03-01T09:55:12.000Z",
          latestDeliveryError: "AccessDenied",
          latestCloudWatchLogsDeliveryTime: "2026-03-01T09:59:01.000Z",
          latestCloudWatchLogsDeliveryError: "CloudWatchLogsException: AccessDeniedException",
          latestDigestDeliveryTime: "2026-03-01T09:14:40.000Z",
          latestDigestDeliveryError: undefined,
        },
      });
      expect(o.eventSelectors).toEqual({
        ok: true,
        value: {
          kind: "advanced",
          selectors: [
            {
              name: "Management events selector",
              fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }],
            },
            {
              name: "S3 data events",
              fieldSelectors: [
                { field: "eventCategory", equals: ["Data"] },
                { field: "resources.type", equals: ["AWS::S3::Object"] },
              ],
            },
          ],
        },
      });
      expect(o.trails.ok && o.trails.value[0].cloudWatchLogsLogGroupArn).toBe(trail.CloudWatchLogsLogGroupArn);
    } finally {
      mock.restore();
    }
  });

  it("recorded: AccessDeniedException on GetTrailStatus is a failed read with its name, scope and operation", async () => {
    const mock = mockClient(CloudTrailClient);
    try {
      mock.on(DescribeTrailsCommand).resolves({ trailList: [trail] });
      const denied = Object.assign(
        new Error(
          "User: arn:aws:sts::111111111111:assumed-role/orgwarden-audit-read/orgwarden-audit is not authorized to perform: cloudtrail:GetTrailStatus",
        ),
        {
          name: "AccessDeniedException",
          $metadata: { httpStatusCode: 400 },
        },
      );
      mock.on(GetTrailStatusCommand).rejects(denied);
      mock.on(GetEventSelectorsCommand).resolves({
        TrailARN: ARN,
        EventSelectors: [{ ReadWriteType: "WriteOnly", IncludeManagementEvents: true, DataResources: [] }],
      });
      const o = await collectCloudTrail(new CloudTrailClient({ region: REGION }), "111111111111", REGION, {
        name: NAME,
        arn: ARN,
      });
      expect(o.status).toEqual({
        ok: false,
        error: {
          name: "AccessDeniedException",
          message: denied.message,
          kind: "access-denied",
          httpStatus: 400,
          operation: "GetTrailStatus",
          service: "cloudtrail",
          account: "111111111111",
          region: REGION,
        },
      });
      expect(o.eventSelectors).toEqual({
        ok: true,
        value: {
          kind: "basic",
          selectors: [
            {
              fieldSelectors: [
                { field: "eventCategory", equals: ["Management"] },
                { field: "readOnly", equals: ["false"] },
              ],
            },
          ],
        },
      });
    } finally {
      mock.restore();
    }
  });
});

describe("normalizeSelectors: basic selectors as the advanced selectors that record the same events", () => {
  it.each([
    ["no selectors", {}, { kind: "none", selectors: [] }],
    [
      "basic: every source but KMS and RDS Data API, and all S3 objects, read only",
      {
        EventSelectors: [
          {
            ReadWriteType: "ReadOnly" as const,
            ExcludeManagementEventSources: ["kms.amazonaws.com", "rdsdata.amazonaws.com"],
            DataResources: [{ Type: "AWS::S3::Object", Values: ["arn:aws:s3"] }],
          },
        ],
      },
      {
        kind: "basic",
        selectors: [
          {
            fieldSelectors: [
              { field: "eventCategory", equals: ["Management"] },
              { field: "readOnly", equals: ["true"] },
              { field: "eventSource", notEquals: ["kms.amazonaws.com", "rdsdata.amazonaws.com"] },
            ],
          },
          {
            fieldSelectors: [
              { field: "eventCategory", equals: ["Data"] },
              { field: "resources.type", equals: ["AWS::S3::Object"] },
              { field: "resources.ARN", startsWith: ["arn:aws:s3"] },
              { field: "readOnly", equals: ["true"] },
            ],
          },
        ],
      },
    ],
    [
      "basic: data only",
      {
        EventSelectors: [
          {
            IncludeManagementEvents: false,
            DataResources: [{ Type: "AWS::Lambda::Function", Values: ["arn:aws:lambda"] }],
          },
        ],
      },
      {
        kind: "basic",
        selectors: [
          {
            fieldSelectors: [
              { field: "eventCategory", equals: ["Data"] },
              { field: "resources.type", equals: ["AWS::Lambda::Function"] },
              { field: "resources.ARN", startsWith: ["arn:aws:lambda"] },
            ],
          },
        ],
      },
    ],
  ])("%s", (_name, response, want) => {
    expect(normalizeSelectors(response)).toEqual(want);
  });
});
