/** Rule for resources that must survive a careless `pulumi destroy` or replacement. */
import { isUnknown, ResourceVerdict, setting } from "./values";

export const PROTECTED_TYPES_DEFAULT = [
  "aws:s3/bucket:Bucket",
  "aws:s3/bucketV2:BucketV2",
  "aws:kms/key:Key",
  "aws:cloudtrail/trail:Trail",
  "aws:organizations/account:Account",
];

export interface ProtectConfig {
  types: string[];
  /** Logical names (Pulumi resource names) exempted on purpose, e.g. a scratch bucket. */
  exemptNames: string[];
}

/** Policy 19. */
export function protectedResource(
  type: string,
  name: string,
  protect: boolean,
  props: Record<string, unknown>,
  cfg: ProtectConfig,
): ResourceVerdict {
  if (!cfg.types.includes(type) || cfg.exemptNames.includes(name)) return { violations: [] };
  const out: string[] = [];
  if (!protect)
    out.push("set the resource option protect: true so the resource cannot be deleted or replaced by accident");
  const fd = props.forceDestroy;
  if (isUnknown(fd)) out.push(setting("forceDestroy"));
  else if (fd === true)
    out.push("remove forceDestroy: true; it deletes every object (the audit trail) with the bucket");
  const close = props.closeOnDeletion;
  if (isUnknown(close)) out.push(setting("closeOnDeletion"));
  else if (close === true) out.push("remove closeOnDeletion: true; deleting the resource would close the AWS account");
  return { violations: out };
}
