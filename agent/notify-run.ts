/**
 * The end of a scheduled run, after its reports are written: notify (agent/notify.ts), then the log
 * line and the metrics (agent/telemetry.ts). Takes the final compared result, so the one-function
 * handler and the Step Functions evaluate step end the same way.
 *
 * A failed notification does not fail the invocation: the reports are already written, and a
 * failed invocation would be retried by Lambda's asynchronous invocation, which re-runs the whole
 * audit against the latest/ report this run just wrote — nothing would be new any more, so the
 * retry would stay silent too. Instead the failure is in the handler's result, on an ERROR log
 * line and in the NotificationFailures metric, which infra alarms on.
 */
import type { ClientSettings } from "./aws/clients";
import type { AuditResult } from "./finding";
import { notifyRun, type NotifyOutcome, type NotifySettings } from "./notify";
import type { AwsCredentialsInput } from "./options";
import { emitRunTelemetry, type RunTelemetry } from "./telemetry";

export interface FinishRunSettings {
  notify: NotifySettings;
  clientSettings: ClientSettings;
  /** The function's own role (security account): it publishes to the topic and puts the event. */
  credentials: AwsCredentialsInput;
  /** Where the log line and the metrics go; Powertools' stdout writers when absent. */
  telemetry?: RunTelemetry;
}

export async function finishRun(result: AuditResult, reports: string[], s: FinishRunSettings): Promise<NotifyOutcome> {
  let outcome: NotifyOutcome;
  try {
    outcome = await notifyRun(result, reports, s.notify, s.clientSettings, s.credentials);
  } catch (err) {
    // notifyRun returns its send failures; anything thrown is a bug in building the message, reported the same way.
    const failed = { status: "failed" as const, error: `notification not built: ${(err as Error).message}` };
    outcome = { triggered: true, newOrWorse: 0, message: failed, event: failed };
  }
  emitRunTelemetry(result, reports, outcome, outcome.newOrWorse, s.telemetry);
  return outcome;
}
