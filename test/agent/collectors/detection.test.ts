import { afterEach, describe, expect, it } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import {
  ConfigServiceClient,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  PutConfigurationRecorderCommand,
  PutDeliveryChannelCommand,
  StartConfigurationRecorderCommand,
} from "@aws-sdk/client-config-service";
import { CreateDetectorCommand, GuardDutyClient } from "@aws-sdk/client-guardduty";
import { EnableCommand, Inspector2Client } from "@aws-sdk/client-inspector2";
import { EnableSecurityHubCommand, SecurityHubClient } from "@aws-sdk/client-securityhub";
import { DescribeAssociationCommand, ListAssociationsCommand, SSMClient } from "@aws-sdk/client-ssm";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { collectConfigRecorders } from "../../../agent/collectors/config";
import { collectRegionDetection, unreadableRegionDetection } from "../../../agent/collectors/detection";
import { collectSsmAssociations } from "../../../agent/collectors/ssm";
import { useMoto } from "../../helpers/moto";
import { agentClients, REGION } from "./_clients";

const moto = useMoto();
let env: ReturnType<typeof agentClients>;
afterEach(() => env?.destroy());

const MEMBER = "444444444444";

describe("collectRegionDetection (moto, member account entered through the read role)", () => {
  it("reads Config, GuardDuty, Security Hub and Inspector as enabled; SSM associations (not in moto) fail with their error name", async () => {
    env = agentClients(moto.endpoint);
    const s3 = await env.get(S3Client, MEMBER);
    await s3.send(new CreateBucketCommand({ Bucket: "config-bucket" }));
    const cfg = await env.get(ConfigServiceClient, MEMBER);
    await cfg.send(
      new PutConfigurationRecorderCommand({
        ConfigurationRecorder: {
          name: "default",
          roleARN: `arn:aws:iam::${MEMBER}:role/config`,
          recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
        },
      }),
    );
    await cfg.send(
      new PutDeliveryChannelCommand({ DeliveryChannel: { name: "default", s3BucketName: "config-bucket" } }),
    );
    await cfg.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: "default" }));
    const detectorId = (
      await (await env.get(GuardDutyClient, MEMBER)).send(new CreateDetectorCommand({ Enable: true }))
    ).DetectorId!;
    await (await env.get(SecurityHubClient, MEMBER)).send(new EnableSecurityHubCommand({}));
    await (
      await env.get(Inspector2Client, MEMBER)
    ).send(new EnableCommand({ accountIds: [MEMBER], resourceTypes: ["EC2", "ECR", "LAMBDA"] }));

    const o = await collectRegionDetection(env.clients, MEMBER, REGION);

    expect(o.account).toBe(MEMBER);
    expect(o.region).toBe(REGION);
    // moto reports PENDING right after StartConfigurationRecorder, as AWS does before the first delivery.
    expect(o.configRecorders).toEqual({
      ok: true,
      value: [
        {
          name: "default",
          recording: true,
          allSupported: true,
          includeGlobalResourceTypes: true,
          lastStatus: "PENDING",
        },
      ],
    });
    // No frequency given: moto, as AWS, sets SIX_HOURS; no features given: moto lists none (AWS would list every feature's status).
    expect(o.guardDutyDetectors).toEqual({
      ok: true,
      value: [{ detectorId, status: "ENABLED", findingPublishingFrequency: "SIX_HOURS", features: [] }],
    });
    expect(o.securityHubEnabled).toEqual({ ok: true, value: true });
    // moto reports Lambda code scanning too (not enabled by the sandbox's resource types, so not judged there).
    expect(o.inspector).toEqual({
      ok: true,
      value: { ec2: "ENABLED", ecr: "ENABLED", lambda: "ENABLED", lambdaCode: "DISABLED" },
    });
    expect(o.ssmAssociations).toMatchObject({
      ok: false,
      error: { operation: "ListAssociations", service: "ssm", account: MEMBER, region: REGION },
    });
  });

  it("an account with nothing enabled reads as observed absences: no recorders, no detectors, hub not subscribed, Inspector never enabled", async () => {
    env = agentClients(moto.endpoint);
    const o = await collectRegionDetection(env.clients, MEMBER, REGION);
    expect(o.configRecorders).toEqual({ ok: true, value: [] });
    expect(o.guardDutyDetectors).toEqual({ ok: true, value: [] });
    expect(o.securityHubEnabled).toEqual({ ok: true, value: false });
    expect(o.inspector).toEqual({ ok: true, value: undefined });
  });

  it("unreadableRegionDetection carries one error into every piece, re-scoped to the cell", () => {
    const err = {
      name: "AccessDenied",
      message: "not authorized",
      kind: "access-denied" as const,
      operation: "AssumeRole",
      service: "sts",
      account: MEMBER,
      region: "us-east-1",
    };
    const o = unreadableRegionDetection(MEMBER, "eu-west-1", err);
    const e = { ok: false, error: { ...err, region: "eu-west-1" } };
    expect(o).toEqual({
      account: MEMBER,
      region: "eu-west-1",
      configRecorders: e,
      configDeliveryChannels: e,
      guardDutyDetectors: e,
      securityHubEnabled: e,
      inspector: e,
      ssmAssociations: e,
      forwardingRules: e,
      network: { vpcs: e, flowLogs: e, dnsQueryLogAssociations: e },
    });
  });
});

describe("collectConfigRecorders — recorded AWS responses (moto has no service-linked recorders)", () => {
  it("recorded: a service-linked recorder beside the customer-managed one keeps its service principal, each matched to its own status by ARN", async () => {
    const mock = mockClient(ConfigServiceClient);
    const own = `arn:aws:config:${REGION}:${MEMBER}:configuration-recorder/default/abcd1234efgh5678`;
    const linked = `arn:aws:config:${REGION}:${MEMBER}:configuration-recorder/AWSConfigurationRecorderForSecurityHub/ijkl9012mnop3456`;
    try {
      mock.on(DescribeConfigurationRecordersCommand).resolves({
        ConfigurationRecorders: [
          {
            arn: linked,
            name: "AWSConfigurationRecorderForSecurityHub",
            roleARN: `arn:aws:iam::${MEMBER}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
            recordingGroup: {
              allSupported: false,
              includeGlobalResourceTypes: false,
              resourceTypes: ["AWS::EC2::Instance"],
            },
            recordingMode: { recordingFrequency: "CONTINUOUS" },
            recordingScope: "INTERNAL",
            servicePrincipal: "securityhub.amazonaws.com",
          },
          {
            arn: own,
            name: "default",
            roleARN: `arn:aws:iam::${MEMBER}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
            recordingGroup: { allSupported: true, includeGlobalResourceTypes: true, resourceTypes: [] },
            recordingMode: { recordingFrequency: "CONTINUOUS" },
            recordingScope: "PAID",
          },
        ],
      });
      mock.on(DescribeConfigurationRecorderStatusCommand).resolves({
        ConfigurationRecordersStatus: [
          {
            arn: own,
            name: "default",
            recording: false,
            lastStatus: "Failure",
            lastErrorCode: "AccessDenied",
            servicePrincipal: undefined,
          },
          {
            arn: linked,
            name: "AWSConfigurationRecorderForSecurityHub",
            recording: true,
            lastStatus: "Success",
            servicePrincipal: "securityhub.amazonaws.com",
          },
        ],
      });
      expect(await collectConfigRecorders(new ConfigServiceClient({ region: REGION }), MEMBER, REGION)).toEqual({
        ok: true,
        value: [
          {
            name: "AWSConfigurationRecorderForSecurityHub",
            servicePrincipal: "securityhub.amazonaws.com",
            recording: true,
            allSupported: false,
            includeGlobalResourceTypes: false,
            lastStatus: "Success",
          },
          {
            name: "default",
            recording: false,
            allSupported: true,
            includeGlobalResourceTypes: true,
            lastStatus: "Failure",
          },
        ],
      });
    } finally {
      mock.restore();
    }
  });
});

describe("collectSsmAssociations — recorded AWS responses (moto does not implement ListAssociations)", () => {
  it("recorded: two pages of associations keep name, id, last status and execution date", async () => {
    const mock = mockClient(SSMClient);
    try {
      mock
        .on(ListAssociationsCommand, { NextToken: undefined })
        .resolves({
          Associations: [
            {
              Name: "AWS-UpdateSSMAgent",
              AssociationId: "8dfe3659-4309-493a-8755-0123456789ab",
              AssociationVersion: "1",
              AssociationName: "orgwarden-ssm-agent",
              Targets: [{ Key: "InstanceIds", Values: ["*"] }],
              LastExecutionDate: new Date("2026-03-01T06:00:12.345Z"),
              Overview: { Status: "Success", AssociationStatusAggregatedCount: { Success: 14 } },
              ScheduleExpression: "rate(14 days)",
            },
          ],
          NextToken: "AAEAAYw2",
        })
        .on(ListAssociationsCommand, { NextToken: "AAEAAYw2" })
        .resolves({
          Associations: [
            {
              Name: "AmazonCloudWatch-ManageAgent",
              AssociationId: "fa94c678-85c6-4d40-926b-7c791EXAMPLE",
              AssociationVersion: "3",
              Targets: [{ Key: "tag:orgwarden:cloudwatch-agent", Values: ["true"] }],
              LastExecutionDate: new Date("2026-03-01T05:41:02.000Z"),
              Overview: {
                Status: "Failed",
                DetailedStatus: "Failed",
                AssociationStatusAggregatedCount: { Failed: 2, Success: 9 },
              },
            },
          ],
        });
      const o = await collectSsmAssociations(new SSMClient({ region: REGION }), MEMBER, REGION);
      expect(o).toEqual({
        ok: true,
        value: [
          {
            name: "AWS-UpdateSSMAgent",
            associationId: "8dfe3659-4309-493a-8755-0123456789ab",
            status: "Success",
            lastExecutionDate: "2026-03-01T06:00:12.345Z",
          },
          {
            name: "AmazonCloudWatch-ManageAgent",
            associationId: "fa94c678-85c6-4d40-926b-7c791EXAMPLE",
            status: "Failed",
            lastExecutionDate: "2026-03-01T05:41:02.000Z",
          },
        ],
      });
    } finally {
      mock.restore();
    }
  });

  it("recorded: AWS-ConfigureAWSPackage is described, so the check knows which package it installs", async () => {
    const mock = mockClient(SSMClient);
    try {
      mock.on(ListAssociationsCommand).resolves({
        Associations: [
          {
            Name: "AWS-ConfigureAWSPackage",
            AssociationId: "b1c2d3e4-0000-4a5b-8c9d-0123456789ab",
            AssociationVersion: "2",
            AssociationName: "orgwarden-install-cloudwatch-agent",
            LastExecutionDate: new Date("2026-03-01T06:02:40.000Z"),
            Overview: { Status: "Success", AssociationStatusAggregatedCount: { Success: 3 } },
          },
        ],
      });
      mock.on(DescribeAssociationCommand, { AssociationId: "b1c2d3e4-0000-4a5b-8c9d-0123456789ab" }).resolves({
        AssociationDescription: {
          Name: "AWS-ConfigureAWSPackage",
          AssociationId: "b1c2d3e4-0000-4a5b-8c9d-0123456789ab",
          Parameters: {
            action: ["Install"],
            installationType: ["Uninstall and reinstall"],
            name: ["AmazonCloudWatchAgent"],
          },
        },
      });
      expect(await collectSsmAssociations(new SSMClient({ region: REGION }), MEMBER, REGION)).toEqual({
        ok: true,
        value: [
          {
            name: "AWS-ConfigureAWSPackage",
            associationId: "b1c2d3e4-0000-4a5b-8c9d-0123456789ab",
            status: "Success",
            lastExecutionDate: "2026-03-01T06:02:40.000Z",
            parameters: {
              action: ["Install"],
              installationType: ["Uninstall and reinstall"],
              name: ["AmazonCloudWatchAgent"],
            },
          },
        ],
      });
    } finally {
      mock.restore();
    }
  });

  it("recorded: a DescribeAssociation refusal fails the whole read, naming that call", async () => {
    const mock = mockClient(SSMClient);
    try {
      mock.on(ListAssociationsCommand).resolves({
        Associations: [{ Name: "AWS-ConfigureAWSPackage", AssociationId: "b1c2d3e4-0000-4a5b-8c9d-0123456789ab" }],
      });
      mock.on(DescribeAssociationCommand).rejects(
        Object.assign(new Error("User is not authorized to perform: ssm:DescribeAssociation"), {
          name: "AccessDeniedException",
        }),
      );
      expect(await collectSsmAssociations(new SSMClient({ region: REGION }), MEMBER, REGION)).toEqual({
        ok: false,
        error: {
          name: "AccessDeniedException",
          message: "User is not authorized to perform: ssm:DescribeAssociation",
          kind: "access-denied",
          operation: "DescribeAssociation",
          service: "ssm",
          account: MEMBER,
          region: REGION,
        },
      });
    } finally {
      mock.restore();
    }
  });

  it("recorded: AccessDeniedException is a failed read, never an empty list", async () => {
    const mock = mockClient(SSMClient);
    try {
      mock.on(ListAssociationsCommand).rejects(
        Object.assign(new Error("User is not authorized to perform: ssm:ListAssociations"), {
          name: "AccessDeniedException",
        }),
      );
      expect(await collectSsmAssociations(new SSMClient({ region: REGION }), MEMBER, REGION)).toEqual({
        ok: false,
        error: {
          name: "AccessDeniedException",
          message: "User is not authorized to perform: ssm:ListAssociations",
          kind: "access-denied",
          operation: "ListAssociations",
          service: "ssm",
          account: MEMBER,
          region: REGION,
        },
      });
    } finally {
      mock.restore();
    }
  });
});
