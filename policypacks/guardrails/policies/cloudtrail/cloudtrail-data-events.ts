import { DataEventConfig, TRAIL_TYPE, trailDataEvents } from "../../../../baseline/rules";
import { cis, resourcePolicy } from "../../lib/define";
import { policyConfig, z } from "../../lib/config-schema";

export const cloudtrailDataEvents = resourcePolicy<DataEventConfig>(
  {
    name: "cloudtrail-data-events",
    description: "Checks that trails record S3 object and Lambda invoke data events where the config asks for them.",
    severity: "medium",
    framework: cis("3.0.0", "3.8", "Ensure that Object-level logging for write events is enabled for S3 bucket"),
    remediationSteps:
      "Add advanced event selectors with eventCategory = Data and resources.type = AWS::S3::Object (and AWS::Lambda::Function); exclude the log buckets themselves. Data events are billed per event, so this policy is advisory by default.",
    controls: ["cloudtrail-data-events"],
    enforcementLevel: "advisory",
    configSchema: policyConfig({
      s3DataEvents: z.boolean().default(true).describe("Require S3 object data events."),
      lambdaDataEvents: z.boolean().default(true).describe("Require Lambda invoke data events."),
    }),
  },
  [TRAIL_TYPE],
  (r, cfg) => trailDataEvents(r.props, cfg),
);
