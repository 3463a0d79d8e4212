import { logGroupArn } from "./arns";
import { policy, PolicyDocument } from "./policy-types";
import { CLOUDTRAIL_SERVICE } from "./bucket-policies";

export interface TrailRoleInput {
  trailArn: string;
  managementAccountId: string;
  homeRegion: string;
  logGroupName: string;
}

/** Trust policy of the role CloudTrail assumes to write to CloudWatch Logs: only our trail, only from our account. */
export function cloudTrailLogsTrustPolicy(i: TrailRoleInput): PolicyDocument {
  return policy([
    {
      Sid: "CloudTrailAssume",
      Effect: "Allow",
      Principal: { Service: CLOUDTRAIL_SERVICE },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:SourceArn": i.trailArn, "aws:SourceAccount": i.managementAccountId } },
    },
  ]);
}

/** Permissions of that role: create streams and put events in the trail's log group, nothing else. */
export function cloudTrailLogsRolePolicy(i: TrailRoleInput): PolicyDocument {
  const group = logGroupArn(i.homeRegion, i.managementAccountId, i.logGroupName);
  return policy([
    {
      Sid: "CloudTrailWriteLogStreams",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: `${group}:log-stream:*`,
    },
  ]);
}
