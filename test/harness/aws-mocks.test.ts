import { describe, expect, it } from "vitest";
import { AwsMocks, DEFAULT_AWS_MOCK_OPTIONS, mockAccountId } from "../../harness/aws-mocks";

const mocks = () =>
  new AwsMocks({ ...DEFAULT_AWS_MOCK_OPTIONS, defaultAccountId: "111111111111", defaultRegion: "us-east-1" });

describe("AwsMocks computed attributes have the real ARN shapes", () => {
  it.each([
    ["aws:cloudwatch/eventRule:EventRule", { name: "nightly" }, "arn:aws:events:us-east-1:111111111111:rule/nightly"],
    [
      "aws:cloudwatch/eventRule:EventRule",
      { name: "r", eventBusName: "central" },
      "arn:aws:events:us-east-1:111111111111:rule/central/r",
    ],
    ["aws:lambda/function:Function", { name: "audit" }, "arn:aws:lambda:us-east-1:111111111111:function:audit"],
    ["aws:cloudtrail/trail:Trail", { name: "org" }, "arn:aws:cloudtrail:us-east-1:111111111111:trail/org"],
    ["aws:cloudwatch/logGroup:LogGroup", { name: "/x" }, "arn:aws:logs:us-east-1:111111111111:log-group:/x"],
    ["aws:iam/role:Role", { name: "r" }, "arn:aws:iam::111111111111:role/r"],
    ["aws:s3/bucket:Bucket", { bucket: "b" }, "arn:aws:s3:::b"],
  ])("%s %j", (type, inputs, arn) => {
    expect(mocks().newResource({ type, name: "n", inputs, custom: true }).state.arn).toBe(arn);
  });

  it("resolves the account and region of a resource from its bound provider", () => {
    const m = mocks();
    m.bindProvider("urn:p", {
      region: "eu-west-1",
      assumeRoles: JSON.stringify([{ roleArn: "arn:aws:iam::222222222222:role/Deploy" }]),
    });
    expect(
      m.newResource({
        type: "aws:iam/role:Role",
        name: "n",
        inputs: { name: "r" },
        custom: true,
        provider: "urn:p::id",
      }).state.arn,
    ).toBe("arn:aws:iam::222222222222:role/r");
    expect(
      m.newResource({
        type: "aws:lambda/function:Function",
        name: "n",
        inputs: { name: "f" },
        custom: true,
        provider: "urn:p::id",
      }).state.arn,
    ).toBe("arn:aws:lambda:eu-west-1:222222222222:function:f");
  });

  it("gives accounts deterministic 12-digit ids", () => {
    expect(mockAccountId("Log Archive")).toMatch(/^9\d{11}$/);
    expect(mockAccountId("Log Archive")).toBe(mockAccountId("Log Archive"));
    expect(mockAccountId("Security")).not.toBe(mockAccountId("Log Archive"));
  });
});
