import tseslint from "typescript-eslint";

/**
 * Lint: TypeScript's recommended rules plus the house's arrows — domain/ never imports app/,
 * imports/, exports/, Remix or exceljs; routes reach the domain through server-only modules.
 */
export default tseslint.config(
  { ignores: ["build/**", "public/build/**", "node_modules/**", ".data/**", ".cache/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
      "no-restricted-syntax": [
        "error",
        { selector: "CallExpression[callee.name='parseFloat']", message: "Money and quantities are Decimal: never parseFloat." },
      ],
    },
  },
  {
    files: ["domain/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["**/app/**", "~/*"], message: "domain/ never imports app/." },
            { group: ["**/imports/**", "**/exports/**"], message: "domain/ never imports imports/ or exports/." },
            { group: ["@remix-run/*", "exceljs", "react", "react-dom"], message: "domain/ knows no HTTP, UI or spreadsheets." },
          ],
        },
      ],
    },
  },
  {
    files: ["app/routes/**/*.tsx", "app/routes/**/*.ts", "app/components/**/*.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/domain/**/*.entity", "**/domain/persistence", "**/domain/**/queries", "**/domain/**/users", "**/domain/audit/*"],
              message: "Routes reach the domain through ~/domain.server (server-only), so nothing server-side is bundled for the browser.",
            },
          ],
        },
      ],
    },
  },
);
