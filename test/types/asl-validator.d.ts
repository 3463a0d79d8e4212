/**
 * asl-validator 4 ships compiled JavaScript without declarations; this is the part of its API the
 * tests use (node_modules/asl-validator/src/validator.ts and README "In your code").
 */
declare module "asl-validator" {
  interface ValidationOptions {
    checkPaths?: boolean;
    checkArn?: boolean;
  }
  interface ValidationError {
    message?: string;
    Message?: string;
  }
  function validator(
    definition: { States: Record<string, unknown>; [key: string]: unknown },
    opts?: ValidationOptions,
  ): { isValid: boolean; errors: ValidationError[]; errorsText: (separator?: string) => string };
  export = validator;
}
