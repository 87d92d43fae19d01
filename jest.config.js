// ESM all the way (lowdb and faker ship ESM only), so jest runs under --experimental-vm-modules
// and @swc/jest only strips types; `npm run build` (tsc) is what type-checks src and test.
export default {
  testEnvironment: 'node',
  // Tests assert behaviour, never speed (npm run bench measures that); on this 2-core machine, jest's
  // workers share the cores with every fake a test starts, and a server with the whole document takes
  // longer to start, so jest's 5 s default failed tests that restart servers or create hundreds of
  // customers while the operation walk runs beside them.
  testTimeout: 20_000,
  roots: ['<rootDir>/test'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }],
  },
  // sources import './x.js' (nodenext); map that back to the .ts file
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};
