/**
 * CloudWatch agent configuration that ships the OS security logs to CloudWatch Logs. It is stored
 * in an SSM parameter and applied by the AmazonCloudWatch-ManageAgent association.
 *
 * One document serves both platforms: the agent's translator picks the logs_collected rules by
 * target platform and registers `windows_events` for Windows only, so Linux ignores that section;
 * on Windows the Linux paths simply do not exist.
 */

/** The retention values CloudWatch Logs accepts (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const LINUX_SECURITY_LOG_FILES = [
  { path: "/var/log/secure", group: "secure", why: "authentication on RHEL/Amazon Linux" },
  { path: "/var/log/auth.log", group: "auth", why: "authentication on Debian/Ubuntu" },
  { path: "/var/log/audit/audit.log", group: "audit", why: "Linux audit subsystem (auditd)" },
  { path: "/var/log/messages", group: "messages", why: "system log on RHEL/Amazon Linux" },
  { path: "/var/log/syslog", group: "syslog", why: "system log on Debian/Ubuntu" },
] as const;

export interface CloudWatchAgentConfigInput {
  /** Log groups are named `<prefix>/linux/<name>` and `<prefix>/windows/security`. */
  logGroupPrefix: string;
  retentionDays: number;
}

export interface AgentLogFile {
  file_path: string;
  log_group_name: string;
  log_stream_name: string;
  retention_in_days: number;
}

export interface AgentWindowsEvents {
  event_name: string;
  event_levels: string[];
  log_group_name: string;
  log_stream_name: string;
  retention_in_days: number;
}

export interface CloudWatchAgentConfig {
  agent: { run_as_user: string };
  logs: {
    logs_collected: {
      files: { collect_list: AgentLogFile[] };
      windows_events: { collect_list: AgentWindowsEvents[] };
    };
  };
}

export function assertRetentionDays(days: number, key: string): void {
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(days)) {
    throw new Error(
      `${key} must be one of the CloudWatch Logs retention values ${LOG_RETENTION_DAYS.join(", ")}; got ${days}`,
    );
  }
}

export function cloudWatchAgentConfig(i: CloudWatchAgentConfigInput): CloudWatchAgentConfig {
  assertRetentionDays(i.retentionDays, "cloudWatchAgentConfig: retentionDays");
  if (!/^\/[A-Za-z0-9_\-./#]+[^/]$/.test(i.logGroupPrefix)) {
    throw new Error(
      `cloudWatchAgentConfig: logGroupPrefix must start with "/" and not end with "/" (got ${JSON.stringify(i.logGroupPrefix)})`,
    );
  }
  return {
    // root: audit.log and secure are readable by root only.
    agent: { run_as_user: "root" },
    logs: {
      logs_collected: {
        files: {
          collect_list: LINUX_SECURITY_LOG_FILES.map((f) => ({
            file_path: f.path,
            log_group_name: `${i.logGroupPrefix}/linux/${f.group}`,
            log_stream_name: "{instance_id}",
            retention_in_days: i.retentionDays,
          })),
        },
        windows_events: {
          collect_list: [
            {
              event_name: "Security",
              // Audit success/failure records carry the Information level; the others catch log-service errors.
              event_levels: ["INFORMATION", "WARNING", "ERROR", "CRITICAL"],
              log_group_name: `${i.logGroupPrefix}/windows/security`,
              log_stream_name: "{instance_id}",
              retention_in_days: i.retentionDays,
            },
          ],
        },
      },
    },
  };
}
