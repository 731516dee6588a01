// ESLint for the browser modules (static/js, plain ES modules served as they are), the unit
// tests of those modules (tests/js, node's test runner) and the script the browser tests run
// in the page (tests/e2e/fit.js). Vendored libraries are not ours to lint. `make js-check`.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["static/vendor/", "node_modules/", ".venv/", "test-artifacts/"] },
  js.configs.recommended,
  {
    rules: {
      // Handlers and views share signatures: an unused parameter is not a mistake; an unused
      // variable or import is. `const { key, ...rest } = x` leaves `key` out on purpose.
      "no-unused-vars": ["error", { args: "none", ignoreRestSiblings: true }],
    },
  },
  {
    files: ["static/js/**/*.js"],
    languageOptions: { ecmaVersion: 2023, sourceType: "module", globals: globals.browser },
  },
  {
    files: ["tests/e2e/fit.js"],
    languageOptions: { ecmaVersion: 2023, sourceType: "script", globals: globals.browser },
  },
  {
    files: ["tests/js/**/*.js", "eslint.config.js"],
    languageOptions: { ecmaVersion: 2023, sourceType: "module", globals: globals.node },
  },
];
