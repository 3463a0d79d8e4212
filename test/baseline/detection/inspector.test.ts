import { describe, expect, it } from "vitest";
import { parseAuditManifest } from "../../../baseline";
import {
  INSPECTOR_RESOURCE_TYPES,
  inspectorAutoEnable,
  type InspectorResourceType,
} from "../../../baseline/detection/inspector";
import { validManifestInput } from "../manifest-fixture";

describe("inspectorAutoEnable: the organization configuration's autoEnable from detection.inspector.resourceTypes", () => {
  it.each<[InspectorResourceType[], Record<string, boolean>]>([
    [["EC2", "ECR", "LAMBDA"], { ec2: true, ecr: true, lambda: true, lambdaCode: false }],
    [["EC2"], { ec2: true, ecr: false, lambda: false, lambdaCode: false }],
    [["LAMBDA", "LAMBDA_CODE"], { ec2: false, ecr: false, lambda: true, lambdaCode: true }],
    [[...INSPECTOR_RESOURCE_TYPES], { ec2: true, ecr: true, lambda: true, lambdaCode: true }],
  ])("%j → %j", (types, autoEnable) => {
    expect(inspectorAutoEnable(types)).toEqual(autoEnable);
  });
});

describe("the manifest's inspector area", () => {
  const withArea = (inspector: unknown) => ({ ...validManifestInput(), inspector });

  it("is optional: a manifest published before it parses without one", () => {
    expect(parseAuditManifest(validManifestInput()).inspector).toBeUndefined();
  });

  it("carries the resource types as published", () => {
    expect(parseAuditManifest(withArea({ resourceTypes: ["EC2", "LAMBDA"] })).inspector).toEqual({
      resourceTypes: ["EC2", "LAMBDA"],
    });
  });

  it.each([
    [{ resourceTypes: [] }, "inspector.resourceTypes: Too small: expected array to have >=1 items"],
    [{ resourceTypes: ["EC2", "EC2"] }, "inspector.resourceTypes: must not repeat a resource type"],
    [
      { resourceTypes: ["EKS"] },
      'inspector.resourceTypes[0]: Invalid option: expected one of "EC2"|"ECR"|"LAMBDA"|"LAMBDA_CODE"',
    ],
    [
      { resourceTypes: ["EC2"], autoEnable: {} },
      "inspector.autoEnable: unknown key (a misspelling?); allowed here: resourceTypes",
    ],
  ])("refuses %j", (area, problem) => {
    expect(() => parseAuditManifest(withArea(area))).toThrow(problem);
  });
});
