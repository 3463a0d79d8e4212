import { describe, expect, it } from "vitest";
import { errorFromBody } from "../../../agent/aws/error-body";

describe("errorFromBody", () => {
  it.each([
    [
      "XML <ErrorResponse> (query protocol, and moto's IAM refusal on any protocol)",
      '<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Errors><Error><Code>AccessDenied</Code><Message>User: arn:aws:sts::444444444444:assumed-role/r/s is not authorized to perform: config:DescribeConfigurationRecorders</Message></Error></Errors></ErrorResponse>',
      {
        code: "AccessDenied",
        message:
          "User: arn:aws:sts::444444444444:assumed-role/r/s is not authorized to perform: config:DescribeConfigurationRecorders",
      },
    ],
    [
      "JSON __type with a namespace",
      '{"__type":"com.amazonaws.securityhub#InvalidAccessException","message":"Account is not subscribed"}',
      { code: "InvalidAccessException", message: "Account is not subscribed" },
    ],
    [
      "JSON code/Message",
      '{"code":"ThrottlingException","Message":"Rate exceeded"}',
      { code: "ThrottlingException", message: "Rate exceeded" },
    ],
  ])("%s", (_name, text, expected) => {
    expect(errorFromBody(text)).toEqual(expected);
  });

  it.each([
    ["an HTML error page", "<!doctype html><title>500 Internal Server Error</title>"],
    ["JSON without a code", '{"message":"x"}'],
    ["empty", ""],
  ])("%s names no error", (_n, text) => {
    expect(errorFromBody(text)).toBeUndefined();
  });
});
