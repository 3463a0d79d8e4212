/**
 * The saved (named) queries a responder runs first. Each reads one table of baseline/athena/tables.ts
 * and declares the top-level columns it names, so a test can hold every query to its table's
 * columns (and parse it). Both tables project `account` as injected: every query takes the
 * account(s) as its first parameter, and a time window in days as the second; Athena's console
 * prompts for `?` parameters of a saved query ("Use parameterized queries",
 * https://docs.aws.amazon.com/athena/latest/ug/querying-with-prepared-statements.html), and
 * StartQueryExecution takes them as ExecutionParameters.
 *
 * The `day` partition is 'yyyy/MM/dd' text, so the window is written as a string comparison with
 * date_format(), which Athena prunes partitions on.
 */
import { CLOUDTRAIL_TABLE, FLOW_LOG_TABLE } from "./tables";

export interface NamedQuerySpec {
  /** Resource-name suffix and stable id. */
  id: string;
  name: string;
  description: string;
  table: typeof CLOUDTRAIL_TABLE | typeof FLOW_LOG_TABLE;
  /** Top-level columns the query names (partition keys included). */
  columns: string[];
  sql: string;
}

const window = "day >= date_format(date_add('day', -?, current_date), '%Y/%m/%d')";

export const NAMED_QUERIES: NamedQuerySpec[] = [
  {
    id: "console-logins-without-mfa",
    name: "Console sign-ins without MFA",
    description:
      "Successful and failed console sign-ins that did not use MFA (ConsoleLogin with additionalEventData.MFAUsed = No). Parameters: account id, days back.",
    table: CLOUDTRAIL_TABLE,
    columns: [
      "eventtime",
      "account",
      "useridentity",
      "sourceipaddress",
      "useragent",
      "responseelements",
      "additionaleventdata",
      "eventname",
      "day",
    ],
    sql: `SELECT eventtime, account, useridentity.type AS identity_type, useridentity.arn AS principal_arn,
       sourceipaddress, useragent, json_extract_scalar(responseelements, '$.ConsoleLogin') AS result
FROM ${CLOUDTRAIL_TABLE}
WHERE account = ?
  AND ${window}
  AND eventname = 'ConsoleLogin'
  AND json_extract_scalar(additionaleventdata, '$.MFAUsed') = 'No'
ORDER BY eventtime DESC
LIMIT 1000`,
  },
  {
    id: "root-activity",
    name: "Root user activity",
    description:
      "Every call made as an account's root user (userIdentity.type = Root), newest first. Parameters: account id, days back.",
    table: CLOUDTRAIL_TABLE,
    columns: [
      "eventtime",
      "account",
      "region",
      "eventsource",
      "eventname",
      "sourceipaddress",
      "useragent",
      "errorcode",
      "useridentity",
      "day",
    ],
    sql: `SELECT eventtime, account, region, eventsource, eventname, sourceipaddress, useragent, errorcode
FROM ${CLOUDTRAIL_TABLE}
WHERE account = ?
  AND ${window}
  AND useridentity.type = 'Root'
ORDER BY eventtime DESC
LIMIT 1000`,
  },
  {
    id: "denied-calls-by-principal",
    name: "Denied calls by principal",
    description:
      "Calls refused for lack of permission (AccessDenied, UnauthorizedOperation and their variants), counted per principal and API. Parameters: account id, days back.",
    table: CLOUDTRAIL_TABLE,
    columns: ["useridentity", "eventsource", "eventname", "errorcode", "eventtime", "account", "day"],
    sql: `SELECT useridentity.arn AS principal_arn, eventsource, eventname, errorcode, count(*) AS denied,
       min(eventtime) AS first_seen, max(eventtime) AS last_seen
FROM ${CLOUDTRAIL_TABLE}
WHERE account = ?
  AND ${window}
  AND (errorcode IN ('AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'Client.UnauthorizedOperation')
       OR errorcode LIKE '%UnauthorizedOperation')
GROUP BY useridentity.arn, eventsource, eventname, errorcode
ORDER BY denied DESC
LIMIT 1000`,
  },
  {
    id: "top-talkers",
    name: "Top talkers (VPC Flow Logs)",
    description:
      "Source/destination pairs by bytes transferred, accepted traffic only. Parameters: account id, days back.",
    table: FLOW_LOG_TABLE,
    columns: ["srcaddr", "dstaddr", "dstport", "protocol", "bytes", "packets", "account", "action", "day"],
    sql: `SELECT srcaddr, dstaddr, dstport, protocol, sum(bytes) AS total_bytes, sum(packets) AS total_packets
FROM ${FLOW_LOG_TABLE}
WHERE account = ?
  AND ${window}
  AND action = 'ACCEPT'
GROUP BY srcaddr, dstaddr, dstport, protocol
ORDER BY total_bytes DESC
LIMIT 100`,
  },
  {
    id: "rejected-flows",
    name: "Rejected flows (VPC Flow Logs)",
    description:
      "Flows refused by a security group or network ACL (action = REJECT), counted per source, destination and port. Parameters: account id, days back.",
    table: FLOW_LOG_TABLE,
    columns: [
      "srcaddr",
      "dstaddr",
      "dstport",
      "protocol",
      "vpc_id",
      "interface_id",
      "flow_direction",
      "start",
      "account",
      "action",
      "day",
    ],
    sql: `SELECT srcaddr, dstaddr, dstport, protocol, vpc_id, interface_id, flow_direction, count(*) AS flows,
       from_unixtime(min(start)) AS first_seen, from_unixtime(max(start)) AS last_seen
FROM ${FLOW_LOG_TABLE}
WHERE account = ?
  AND ${window}
  AND action = 'REJECT'
GROUP BY srcaddr, dstaddr, dstport, protocol, vpc_id, interface_id, flow_direction
ORDER BY flows DESC
LIMIT 1000`,
  },
];
