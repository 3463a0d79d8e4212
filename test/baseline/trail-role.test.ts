import { describe, expect, it } from "vitest";
import { cloudTrailLogsRolePolicy, cloudTrailLogsTrustPolicy } from "../../baseline";
import { trailRoleInput } from "./fixtures";

describe("cloudTrailLogsTrustPolicy", () => {
  it("admits only CloudTrail, for the org trail, from the management account", () => {
    expect(cloudTrailLogsTrustPolicy(trailRoleInput)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "CloudTrailAssume",
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: {
            StringEquals: {
              "aws:SourceArn": "arn:aws:cloudtrail:us-east-1:111111111111:trail/orgwarden-org-trail",
              "aws:SourceAccount": "111111111111",
            },
          },
        },
      ],
    });
  });
});

describe("cloudTrailLogsRolePolicy", () => {
  it("allows only CreateLogStream and PutLogEvents on the trail log group's streams", () => {
    expect(cloudTrailLogsRolePolicy(trailRoleInput)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "CloudTrailWriteLogStreams",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: "arn:aws:logs:us-east-1:111111111111:log-group:/orgwarden/cloudtrail:log-stream:*",
        },
      ],
    });
  });

  it.each([
    [
      "eu-west-1",
      "/aws/cloudtrail/org",
      "arn:aws:logs:eu-west-1:111111111111:log-group:/aws/cloudtrail/org:log-stream:*",
    ],
    ["us-gov-west-1", "trail", "arn:aws:logs:us-gov-west-1:111111111111:log-group:trail:log-stream:*"],
  ])("places the log group in the home region %s", (homeRegion, logGroupName, resource) => {
    const doc = cloudTrailLogsRolePolicy({ ...trailRoleInput, homeRegion, logGroupName });
    expect(doc.Statement[0].Resource).toBe(resource);
  });
});
