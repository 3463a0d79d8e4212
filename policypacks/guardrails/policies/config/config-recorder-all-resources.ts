import { configRecorders } from "../../../../baseline/rules";
import { cis, stackPolicy } from "../../lib/define";

export const configRecorderAllResources = stackPolicy(
  {
    name: "config-recorder-all-resources",
    description: "Checks that Config recorders record all supported resource types, record global resource types in exactly one region per account, and have a delivery channel.",
    severity: "high",
    framework: cis("3.0.0", "3.3", "Ensure AWS Config is enabled in all regions"),
    remediationSteps: "Set recordingGroup { allSupported: true } on every aws.cfg.Recorder, includeGlobalResourceTypes: true in the home region only, and add an aws.cfg.DeliveryChannel in the same account and region.",
    enforcementLevel: "mandatory",
  },
  (resources) => configRecorders(resources),
);
