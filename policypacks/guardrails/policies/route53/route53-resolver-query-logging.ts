import { dnsQueryLoggingGuardrail } from "../../../../baseline/rules";
import { stackPolicy } from "../../lib/define";

export const route53ResolverQueryLogging = stackPolicy(
  {
    name: "route53-resolver-query-logging",
    description:
      "Checks that every Route 53 Resolver query logging configuration delivers to an S3 bucket of the stack that uses SSE-KMS with a customer managed key, blocks all public access and denies requests that do not use TLS, and is shared through RAM only with the organization (allowExternalPrincipals false, the organization ARN as the only principal).",
    severity: "high",
    remediationSteps:
      "Give the aws.route53.ResolverQueryLogConfig destinationArn the DNS query-log bucket's ARN (arn:aws:s3:::<bucket>), give that bucket the encryption, public access block and aws:SecureTransport deny of a log bucket, and share the configuration through an aws.ram.ResourceShare { allowExternalPrincipals: false } with an aws.ram.ResourceAssociation of the configuration and one aws.ram.PrincipalAssociation whose principal is the organization ARN.",
    controls: ["s3-tls-only", "s3-default-encryption", "s3-public-access-block"],
    enforcementLevel: "mandatory",
  },
  (resources) => dnsQueryLoggingGuardrail(resources),
);
