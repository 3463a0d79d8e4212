export * from "./flow-log-policies";
export * from "./flow-log-remediation";
export * from "./dns-query-log-policies";
export * from "./dns-vpc-association";
