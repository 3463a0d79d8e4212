export * from "./flow-log-bucket";
export * from "./names";
export * from "./dns-query-logs";
