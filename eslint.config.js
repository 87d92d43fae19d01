// One lint configuration for the tree: typescript-eslint's type-aware rules on TypeScript (through
// tsconfig.test.json, which covers src and test), ESLint's recommended rules on the .mjs scripts, and
// the direction of imports between layers. Formatting is prettier's (.prettierrc.json), not lint's.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// A leading underscore names what is dropped on purpose: an Express error handler's fourth argument
// (Express tells error handlers by their arity) or a field left out of a rest spread.
const unused = { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true };

// Data flows one way (HTTP -> validation -> mock controls -> resource rules -> store); a module may
// import its own layer and those below it, never one above. Bottom to top: contract, rules, store ->
// spec -> http -> resources, fixtures and the proxy -> admin -> app -> server, cli, index, verify.
const RESOURCES =
  '(customers|customer-aliases|organizations|payment-settings|collections|examples|usage-events|billing-schedules|fixtures|proxy)';
const above = (files, regex, layer) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      { patterns: [{ regex, message: `${layer} must not import a layer above it (see eslint.config.js)` }] },
    ],
  },
});

export default defineConfig(
  { ignores: ['dist/', 'coverage/', 'bench/.prism/', 'test/clients/', 'src/generated/'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', unused],
    },
  },
  {
    files: ['test/**/*.ts'],
    // Bodies read back over HTTP are `any` (supertest and fetch's json() type them so); the tests check
    // them at run time with expect() and, in strict mode, against the document. Typing every body read
    // would add casts, not safety. Everything else (floating promises, type imports, ...) still applies.
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  { files: ['**/*.mjs', '**/*.js'], languageOptions: { globals: globals.node }, rules: { 'no-unused-vars': ['error', unused] } },
  // The dashboard runs in the browser, as an ES module served as written.
  { files: ['ui/**/*.js'], languageOptions: { globals: globals.browser, sourceType: 'module' } },
  above(
    ['src/contract/**', 'src/rules/**', 'src/store/**'],
    `^\\.\\./(http|admin|verify|${RESOURCES})/|^\\.\\./(spec|app|server|cli|index)\\.js$`,
    'contract, rules and store',
  ),
  above(['src/http/**'], `^\\.\\./(admin|verify|${RESOURCES})/|^\\.\\./(app|server|cli|index)\\.js$`, 'http'),
  above(
    [
      'src/{customers,customer-aliases,organizations,payment-settings,collections,examples,usage-events,billing-schedules,fixtures,proxy}/**',
    ],
    `^\\.\\./(admin|verify)/|^\\.\\./(app|server|cli|index)\\.js$`,
    'resources',
  ),
  above(['src/admin/**'], `^\\.\\./verify/|^\\.\\./(app|server|cli|index)\\.js$`, 'admin'),
);
