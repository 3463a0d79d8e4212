import { configRecorders } from "../../../../baseline/rules";
import { cis, stackPolicy } from "../../lib/define";

export const configRecorderAllResources = stackPolicy(
  {
    name: "config-recorder-all-resources",
    description:
      "Checks that Config recorders (Pulumi resources, and those inside CloudFormation Stack and StackSet templates) record all supported resource types, record global resource types in exactly one region per account, and have a delivery channel.",
    severity: "high",
    framework: cis("3.0.0", "3.3", "Ensure AWS Config is enabled in all regions"),
    remediationSteps:
      "Set recordingGroup { allSupported: true } on every aws.cfg.Recorder (RecordingGroup.AllSupported: true on an AWS::Config::ConfigurationRecorder in a CloudFormation template), include global resource types in the home region only (in a template: Fn::If on a condition that compares AWS::Region with the home region), and add a delivery channel in the same account and region (in a template: an AWS::Config::DeliveryChannel in the same template).",
    controls: ["config-recorder-all-supported", "config-recorder-global-resources"],
    enforcementLevel: "mandatory",
  },
  (resources) => configRecorders(resources),
);
