/**
 * Amazon Inspector's organization intent: the scan types the stack turns on (config
 * detection.inspector.resourceTypes) and the organization configuration's autoEnable they give.
 * infra/detection/inspector.ts lays OrganizationConfiguration.autoEnable with inspectorAutoEnable;
 * the audit manifest's inspector area publishes the same resourceTypes, and inspector-organization
 * rebuilds the map with the same function, so there is one mapping, written once.
 */

/** Inspector's resource scan types (Enable API resourceTypes) the stack may turn on. */
export const INSPECTOR_RESOURCE_TYPES = ["EC2", "ECR", "LAMBDA", "LAMBDA_CODE"] as const;
export type InspectorResourceType = (typeof INSPECTOR_RESOURCE_TYPES)[number];

/** The keys of DescribeOrganizationConfiguration / UpdateOrganizationConfiguration autoEnable the stack lays. */
export type InspectorAutoEnableKey = "ec2" | "ecr" | "lambda" | "lambdaCode";
export type InspectorAutoEnable = Record<InspectorAutoEnableKey, boolean>;

/** Each resource type and its autoEnable key, in the API's order (API_AutoEnable.html). */
export const INSPECTOR_AUTO_ENABLE_KEYS: readonly (readonly [InspectorResourceType, InspectorAutoEnableKey])[] = [
  ["EC2", "ec2"],
  ["ECR", "ecr"],
  ["LAMBDA", "lambda"],
  ["LAMBDA_CODE", "lambdaCode"],
];

/** The autoEnable the organization configuration carries: true for each type the stack turns on, false for the others. */
export function inspectorAutoEnable(resourceTypes: readonly InspectorResourceType[]): InspectorAutoEnable {
  return Object.fromEntries(
    INSPECTOR_AUTO_ENABLE_KEYS.map(([type, key]) => [key, resourceTypes.includes(type)]),
  ) as InspectorAutoEnable;
}
