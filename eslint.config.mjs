// Lint only for rules that catch real bugs: promises nobody awaits or handles, promises passed where
// a plain value is expected, and code that is never used. Formatting is Prettier's job (.prettierrc).
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      "dist/**",
      "out/**",
      ".venv/**",
      ".cache/**",
      "**/*.js",
      "**/*.mjs",
      "**/*.cjs",
      "test/**/fixtures/**",
    ],
  },
  {
    files: ["**/*.ts", "**/*.mts"],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { "@typescript-eslint": tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true },
      ],
      "@typescript-eslint/no-unused-expressions": "error",
      "no-unreachable": "error",
      "no-empty": ["error", { allowEmptyCatch: false }],
    },
  },
);
