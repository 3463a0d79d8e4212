export * from "./flow-log-policies";
