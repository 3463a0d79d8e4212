/**
 * The guardrails policy pack: refuses, at preview, any change that weakens the logging baseline.
 *   pulumi preview --policy-pack policypacks/guardrails --policy-pack-config policypacks/guardrails/config/prod.json
 */
import { PolicyPack } from "@pulumi/policy";
import { guardrailsPolicies } from "./policies";

new PolicyPack("guardrails", {
  description:
    "orgwarden guardrails: CloudTrail, log archive, KMS, Config, detection, CIS alarms and SCP protections of an AWS Organization's security logging",
  provider: "aws",
  tags: ["aws", "cis", "logging", "security"],
  enforcementLevel: "mandatory",
  policies: guardrailsPolicies,
});
