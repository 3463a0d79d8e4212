/** Names the AuditAgent component derives from its arguments, and the checks that they fit AWS's limits. */
import type { AuditAgentArgs } from "./audit-agent";
import { agentLogGroupNames, type LogGroupNames } from "../baseline/audit-agent-deployment";
import { stepFunctionName } from "./audit-engine";
import { AUDIT_ENGINE_ROLE_SUFFIXES } from "./naming";

export type { LogGroupNames } from "../baseline/audit-agent-deployment";

const MAX_FUNCTION_NAME = 64;
const MAX_ROLE_NAME = 64;

/** The component's log groups: the single function's always, the steps' and the state machine's with that engine. */
export function logGroupNames(args: AuditAgentArgs): LogGroupNames {
  return agentLogGroupNames(args.functionName, args.engine);
}

export function checkAgentNames(name: string, args: AuditAgentArgs): void {
  const longest = args.engine === "lambda" ? args.functionName : stepFunctionName(args.functionName, "evaluate");
  if (longest.length > MAX_FUNCTION_NAME) {
    throw new Error(
      `AuditAgent "${name}": function name ${longest} is longer than ${MAX_FUNCTION_NAME} characters; use a shorter stack name`,
    );
  }
  if (args.engine === "lambda") return;
  for (const suffix of Object.values(AUDIT_ENGINE_ROLE_SUFFIXES)) {
    if (args.agentRoleName.length + suffix.length > MAX_ROLE_NAME)
      throw new Error(
        `AuditAgent "${name}": role name ${args.agentRoleName}${suffix} is longer than ${MAX_ROLE_NAME} characters; shorten orgwarden:audit.agentRoleName (the step-functions engine adds "${suffix}")`,
      );
  }
}
