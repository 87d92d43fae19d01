// ESM all the way (lowdb and faker ship ESM only), so jest runs under --experimental-vm-modules
// and @swc/jest only strips types; `npm run build` (tsc) is what type-checks src and test.
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }],
  },
  // sources import './x.js' (nodenext); map that back to the .ts file
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};
