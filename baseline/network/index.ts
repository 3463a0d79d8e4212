export * from "./flow-log-policies";
export * from "./flow-log-remediation";
