import { athenaWorkgroupGuardrail } from "../../../../baseline/rules";
import { stackPolicy } from "../../lib/define";

export const athenaWorkgroup = stackPolicy(
  {
    name: "athena-workgroup",
    description:
      "Checks that every Athena workgroup enforces its configuration, encrypts query results with KMS (SSE_KMS or CSE_KMS with a named key) and limits the bytes one query scans, and that its results bucket uses SSE-KMS with a customer managed key, blocks all public access and denies requests that do not use TLS.",
    severity: "high",
    remediationSteps:
      'Give the aws.athena.Workgroup configuration { enforceWorkgroupConfiguration: true, bytesScannedCutoffPerQuery: <bytes>, resultConfiguration: { outputLocation: "s3://<results bucket>/…", encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: <customer key ARN> } } }, and the results bucket the same encryption, public access block and aws:SecureTransport deny as a log bucket.',
    controls: ["s3-tls-only", "s3-default-encryption", "s3-public-access-block"],
    enforcementLevel: "mandatory",
  },
  (resources) => athenaWorkgroupGuardrail(resources),
);
