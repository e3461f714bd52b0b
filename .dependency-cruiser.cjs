/** Boundaries of DESIGN.md section 3, enforced in `npm run lint`. */
module.exports = {
  forbidden: [
    {
      name: 'canonical-imports-nothing',
      comment: 'canonical is the root of the graph: it imports nothing of ours',
      severity: 'error',
      from: { path: '^src/canonical/' },
      to: { path: '^src/', pathNot: '^src/canonical/' },
    },
    {
      name: 'mapping-validation-only-canonical',
      severity: 'error',
      from: { path: '^src/(mapping|validation)/' },
      to: { path: '^src/', pathNot: ['^src/canonical/', '^src/$1/'] },
    },
    {
      name: 'store-only-canonical',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: '^src/', pathNot: ['^src/canonical/', '^src/store/'] },
    },
    {
      name: 'engine-only-store-canonical',
      severity: 'error',
      from: { path: '^src/engine/' },
      to: { path: '^src/', pathNot: ['^src/canonical/', '^src/store/', '^src/engine/'] },
    },
    {
      name: 'connectors-stay-in-their-lane',
      comment: 'a connector imports canonical, the ports and the shared http layer; never engine, store, flows or another connector',
      severity: 'error',
      from: { path: '^src/connectors/([^/]+)/' },
      to: {
        path: '^src/',
        pathNot: [
          '^src/canonical/',
          '^src/connectors/port\\.ts$',
          '^src/connectors/ports/',
          '^src/connectors/http/',
          '^src/connectors/sim-kit/',
          '^src/connectors/$1/',
        ],
      },
    },
    {
      name: 'only-simulators-use-the-sim-kit',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/connectors/[^/]+/simulator/', '^src/connectors/sim-kit/', '^src/demo/', '^src/cli/', '^src/connectors/contract/'] },
      to: { path: '^src/connectors/sim-kit/' },
    },
    {
      name: 'sim-kit-self-contained',
      comment: 'the simulator kit is shared by simulators and imports nothing else of ours',
      severity: 'error',
      from: { path: '^src/connectors/sim-kit/' },
      to: { path: '^src/', pathNot: '^src/connectors/sim-kit/' },
    },
    {
      name: 'simulator-self-contained',
      severity: 'error',
      from: { path: '^src/connectors/([^/]+)/simulator/' },
      to: { path: '^src/', pathNot: ['^src/connectors/$1/simulator/', '^src/connectors/sim-kit/'] },
    },
    {
      name: 'flows-orchestration-only',
      severity: 'error',
      from: { path: '^src/flows/' },
      to: {
        path: '^src/',
        pathNot: [
          '^src/canonical/',
          '^src/mapping/',
          '^src/validation/',
          '^src/connectors/port\\.ts$',
          '^src/connectors/ports/',
          '^src/engine/step-api\\.ts$',
          '^src/flows/',
        ],
      },
    },
    {
      name: 'flows-no-io',
      severity: 'error',
      from: { path: '^src/flows/' },
      to: { dependencyTypes: ['core'], path: '^(node:)?(fs|net|http|https|child_process|dgram)$' },
    },
    {
      name: 'only-composition-roots-wire',
      comment: 'only app.ts, api and cli may reach the wiring of several layers',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/app\\.ts$', '^src/api/', '^src/cli/', '^src/demo/'] },
      to: { path: '^src/(app\\.ts|api/|cli/)' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
