/**
 * CloudTrail records in the shape CloudTrail writes them to CloudWatch Logs (one record per log
 * event), trimmed of fields no CIS pattern reads. Field names and values follow the CloudTrail
 * user guide's record-contents and sign-in event reference.
 */
type Rec = Record<string, unknown>;

const iamUser = {
  type: "IAMUser",
  principalId: "AIDAEXAMPLE",
  arn: "arn:aws:iam::444444444444:user/alice",
  accountId: "444444444444",
  userName: "alice",
};
const assumedRole = {
  type: "AssumedRole",
  principalId: "AROAEXAMPLE:alice",
  arn: "arn:aws:sts::444444444444:assumed-role/Admin/alice",
  accountId: "444444444444",
  sessionContext: {
    sessionIssuer: { type: "Role", arn: "arn:aws:iam::444444444444:role/Admin", userName: "Admin" },
    attributes: { mfaAuthenticated: "false" },
  },
};

export function apiCall(eventSource: string, eventName: string, extra: Rec = {}): Rec {
  return {
    eventVersion: "1.09",
    userIdentity: assumedRole,
    eventTime: "2026-11-20T10:00:00Z",
    eventSource,
    eventName,
    awsRegion: "us-east-1",
    sourceIPAddress: "203.0.113.10",
    userAgent: "aws-cli/2.15.0",
    requestParameters: {},
    responseElements: null,
    eventID: "0b3a9f0e-0000-4000-8000-000000000001",
    readOnly: false,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: "444444444444",
    eventCategory: "Management",
    ...extra,
  };
}

export function consoleLogin(opts: {
  identity?: Rec;
  mfa: "Yes" | "No";
  result: "Success" | "Failure";
  errorMessage?: string;
}): Rec {
  const rec: Rec = {
    eventVersion: "1.08",
    userIdentity: opts.identity ?? iamUser,
    eventTime: "2026-11-20T10:00:00Z",
    eventSource: "signin.amazonaws.com",
    eventName: "ConsoleLogin",
    awsRegion: "us-east-1",
    sourceIPAddress: "203.0.113.10",
    userAgent: "Mozilla/5.0",
    requestParameters: null,
    responseElements: { ConsoleLogin: opts.result },
    additionalEventData: {
      LoginTo: "https://console.aws.amazon.com/console/home",
      MobileVersion: "No",
      MFAUsed: opts.mfa,
    },
    eventID: "0b3a9f0e-0000-4000-8000-000000000002",
    readOnly: false,
    eventType: "AwsConsoleSignIn",
    managementEvent: true,
    recipientAccountId: "444444444444",
    eventCategory: "Management",
  };
  if (opts.errorMessage) rec.errorMessage = opts.errorMessage;
  return rec;
}

export const rootIdentity = {
  type: "Root",
  principalId: "444444444444",
  arn: "arn:aws:iam::444444444444:root",
  accountId: "444444444444",
};

/** A root-user API call made by the root user itself (no invokedBy). */
export function rootApiCall(eventName: string): Rec {
  return apiCall("iam.amazonaws.com", eventName, { userIdentity: rootIdentity });
}

/** The same identity type when an AWS service acts for the root user: CloudTrail adds invokedBy. */
export function rootViaService(eventName: string): Rec {
  return apiCall("s3.amazonaws.com", eventName, {
    userIdentity: { ...rootIdentity, invokedBy: "cloudtrail.amazonaws.com" },
  });
}

/** A service event recorded against the root identity (e.g. a KMS key rotation). */
export function rootServiceEvent(): Rec {
  return {
    ...apiCall("kms.amazonaws.com", "RotateKey", {
      userIdentity: { accountId: "444444444444", invokedBy: "kms.amazonaws.com" },
    }),
    userIdentity: rootIdentity,
    eventType: "AwsServiceEvent",
  };
}

export function denied(eventSource: string, eventName: string, errorCode: string, extra: Rec = {}): Rec {
  return apiCall(eventSource, eventName, {
    errorCode,
    errorMessage: "User is not authorized to perform this operation",
    ...extra,
  });
}
