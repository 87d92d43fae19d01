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

// Data flows one way, bottom to top: src/generated and src/engine (the document-driven engine) ->
// src/resources/<name> (plug-ins: each imports only the engine and its own files; never another
// resource) -> src/resources/registry.ts (the one list of plug-ins) -> src/http (the pipeline) ->
// src/tools (admin, dashboard, proxy) -> src/app.ts -> src/server.ts, src/tools/verify, cli.ts, index.ts. A
// module may import its own layer and those below it. The resource rule is one pattern for every
// folder under src/resources, so a new plug-in is covered the moment its folder exists.
// test/architecture.test.ts checks the same rules by reading every import, and that the registry
// lists exactly the folders there are.
const TOP = '(app|server|cli|index|client|config|logger)\\.js$';
const restrict = (files, regex, message) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: [{ regex, message: `${message} (see eslint.config.js)` }] }] },
});

export default defineConfig(
  { ignores: ['dist/', 'coverage/', 'bench/.prism/', 'bench/.peers/', 'test/clients/', 'src/generated/'] },
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
  restrict(
    ['src/engine/**'],
    `^(\\.\\./)+(http|resources|tools)/|^(\\.\\./)+${TOP}`,
    'the engine imports only the engine and the generated types',
  ),
  restrict(
    ['src/resources/*/**'],
    `^\\.\\./(?!\\.\\./)|^\\.\\./\\.\\./(?!engine/|generated/)`,
    'a resource imports only the engine, the generated types and its own files; what two resources share belongs in the engine',
  ),
  restrict(['src/http/**'], `^\\.\\./(resources|tools)/|^\\.\\./${TOP}`, 'the HTTP pipeline must not import a layer above it'),
  // verify sits beside the entry points (it starts a fake in-process); the other tools sit below the app.
  restrict(
    ['src/tools/admin/**', 'src/tools/dashboard/**', 'src/tools/proxy/**'],
    `^\\.\\./verify/|^\\.\\./\\.\\./${TOP}`,
    'admin, dashboard and proxy must not import verify, the app or its entry points',
  ),
);
