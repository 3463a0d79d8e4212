/** GuardDuty protection plans exactly as each example stack plans them, in every governed region. */
import { beforeAll, describe, expect, it } from "vitest";
import type { ProgramRun } from "../../../harness/run-program";
import { EXPECTED } from "../expected";
import { ofType, runStack, STACKS } from "../stack";

const AGENTS = ["EKS_ADDON_MANAGEMENT", "ECS_FARGATE_AGENT_MANAGEMENT", "EC2_AGENT_MANAGEMENT"];
const FEATURES = {
  dev: ["S3_DATA_EVENTS", "RDS_LOGIN_EVENTS", "LAMBDA_NETWORK_LOGS", "RUNTIME_MONITORING"],
  prod: [
    "S3_DATA_EVENTS",
    "EKS_AUDIT_LOGS",
    "EBS_MALWARE_PROTECTION",
    "RDS_LOGIN_EVENTS",
    "LAMBDA_NETWORK_LOGS",
    "RUNTIME_MONITORING",
  ],
};

describe.each(STACKS)("GuardDuty protection plans (%s stack)", (stack) => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runStack(stack);
  });
  const regions = EXPECTED[stack].governedRegions;

  it.each(regions)(
    "in %s: each plan auto-enabled for ALL members, runtime monitoring with its three managed agents",
    (region) => {
      const features = ofType(
        run,
        "aws:guardduty/organizationConfigurationFeature:OrganizationConfigurationFeature",
      ).filter((f) => f.name.startsWith(`detection-guardduty-${region}-`));
      expect(features.map((f) => f.inputs)).toEqual(
        FEATURES[stack].map((name) => ({
          detectorId: expect.any(String),
          name,
          autoEnable: "ALL",
          additionalConfigurations:
            name === "RUNTIME_MONITORING" ? AGENTS.map((n) => ({ name: n, autoEnable: "ALL" })) : [],
        })),
      );
    },
  );

  it.each(regions)("in %s: each plan ENABLED on the administrator's own detector", (region) => {
    const own = ofType(run, "aws:guardduty/detectorFeature:DetectorFeature").filter((f) =>
      f.name.startsWith(`detection-guardduty-${region}-`),
    );
    expect(own.map((f) => f.inputs)).toEqual(
      FEATURES[stack].map((name) => ({
        detectorId: expect.any(String),
        name,
        status: "ENABLED",
        additionalConfigurations:
          name === "RUNTIME_MONITORING" ? AGENTS.map((n) => ({ name: n, status: "ENABLED" })) : [],
      })),
    );
  });
});
