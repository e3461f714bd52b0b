/** Boundaries of DESIGN.md section 3 (docs/architecture.md, Layout and import boundaries), enforced in `npm run lint`. */
module.exports = {
  forbidden: [
    {
      name: 'console-is-a-browser-app',
      comment: 'the web console talks to the hub over HTTP only: it imports nothing of src/, and src/ nothing of it',
      severity: 'error',
      from: { path: '^console/' },
      to: { path: '^src/' },
    },
    {
      name: 'hub-never-imports-console',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^console/' },
    },
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
      comment:
        'the durable core imports the store and canonical only, and the tracing primitives (spans for runs and steps)',
      severity: 'error',
      from: { path: '^src/engine/' },
      to: {
        path: '^src/',
        pathNot: ['^src/canonical/', '^src/store/', '^src/engine/', '^src/observability/tracing\\.ts$'],
      },
    },
    {
      name: 'tracing-primitives-import-nothing',
      comment:
        'observability/tracing.ts is shared by the engine, the connectors and the API (docs/architecture.md): it imports nothing of ours, so sharing it joins no layers',
      severity: 'error',
      from: { path: '^src/observability/tracing\\.ts$' },
      to: { path: '^src/' },
    },
    {
      name: 'engine-read-only-reads',
      comment:
        'engine/read answers queries: it imports the store, canonical and the record codecs, never the write side',
      severity: 'error',
      from: { path: '^src/engine/read/' },
      to: {
        path: '^src/engine/',
        pathNot: [
          '^src/engine/read/',
          '^src/engine/record-protection\\.ts$',
          '^src/engine/step-api\\.ts$',
          '^src/engine/exceptions/history\\.ts$',
        ],
      },
    },
    {
      name: 'hub-services-layer',
      comment:
        'hub services import store, canonical, mapping, validation, connector ports, the flow contract and the engine primitives audited writes and posting lookups share (keys, record protection, audit log)',
      severity: 'error',
      from: { path: '^src/hub/' },
      to: {
        path: '^src/',
        pathNot: [
          '^src/hub/',
          '^src/store/',
          '^src/canonical/',
          '^src/mapping/',
          '^src/validation/',
          '^src/connectors/port\\.ts$',
          '^src/connectors/ports/',
          '^src/engine/step-api\\.ts$',
          '^src/engine/keys\\.ts$',
          '^src/engine/record-protection\\.ts$',
          '^src/engine/audit-log\\.ts$',
        ],
      },
    },
    {
      name: 'insights-read-and-report',
      comment:
        'insights import store, canonical, engine/read, connector ports (reconciliation reads the sources), PAN masking and the engine primitives for audited, retried writes (audit log, ids, backoff, logger type, the evidence step name)',
      severity: 'error',
      from: { path: '^src/insights/' },
      to: {
        path: '^src/',
        pathNot: [
          '^src/insights/',
          '^src/store/',
          '^src/canonical/',
          '^src/engine/read/',
          '^src/connectors/port\\.ts$',
          '^src/connectors/ports/',
          '^src/security/pan-masking\\.ts$',
          '^src/engine/audit-log\\.ts$',
          '^src/engine/ids\\.ts$',
          '^src/engine/backoff\\.ts$',
          '^src/engine/engine-deps\\.ts$',
          '^src/engine/step-api\\.ts$',
        ],
      },
    },
    {
      name: 'api-routes-never-touch-the-database',
      comment: 'routes go through the engine, hub and insights; the store database handle is for the layers below',
      severity: 'error',
      from: { path: '^src/api/routes/' },
      to: { path: '^src/store/' },
    },
    {
      name: 'connectors-stay-in-their-lane',
      comment:
        'a connector imports canonical, the ports, the shared http layer and the tracing primitives (client spans); never engine, store, flows or another connector',
      severity: 'error',
      from: { path: '^src/connectors/([^/]+)/' },
      to: {
        path: '^src/',
        pathNot: [
          '^src/canonical/',
          '^src/observability/tracing\\.ts$',
          '^src/connectors/port\\.ts$',
          '^src/connectors/ports/',
          '^src/connectors/http/',
          '^src/connectors/sim-kit/',
          '^src/connectors/contract/',
          '^src/connectors/$1/',
        ],
      },
    },
    {
      name: 'contract-suite-only-in-contract-tests',
      comment: 'connectors reach the shared contract suite from their tests only',
      severity: 'error',
      from: { path: '^src/', pathNot: ['\\.test\\.ts$', '^src/connectors/contract/'] },
      to: { path: '^src/connectors/contract/' },
    },
    {
      name: 'only-simulators-use-the-sim-kit',
      severity: 'error',
      from: {
        path: '^src/',
        pathNot: [
          '^src/connectors/[^/]+/simulator/',
          '^src/connectors/sim-kit/',
          '^src/demo/',
          '^src/cli/',
          '^src/connectors/contract/',
        ],
      },
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
      comment:
        "a simulator reads its own folder, the sim-kit and its vendor's contract facts (plain data kept from the vendor's artifacts), never connector code",
      severity: 'error',
      from: { path: '^src/connectors/([^/]+)/simulator/' },
      to: {
        path: '^src/',
        pathNot: [
          '^src/connectors/$1/simulator/',
          '^src/connectors/sim-kit/',
          '^src/connectors/$1/[a-z0-9-]+-contract-facts\\.ts$',
          '^src/connectors/$1/contract-facts/',
        ],
      },
    },
    {
      name: 'flows-orchestration-only',
      comment:
        'flows import canonical, mapping, validation, connector ports, the hub ports, the master data model and the flow contract',
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
          '^src/hub/ports\\.ts$',
          '^src/hub/master-data/(entries|targets)\\.ts$',
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
      name: 'security-primitives-only-canonical',
      comment:
        'webhook signatures and PAN masking are self-contained primitives: they import canonical and each other only',
      severity: 'error',
      from: { path: '^src/security/(webhook-signatures|pan-masking)(\\.test)?\\.ts$' },
      to: { path: '^src/', pathNot: ['^src/canonical/', '^src/security/(webhook-signatures|pan-masking)\\.ts$'] },
    },
    {
      name: 'only-composition-roots-wire',
      comment: 'only app.ts, api and cli may reach the wiring of several layers',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/app\\.ts$', '^src/api/', '^src/cli/', '^src/demo/', '^src/composition/'] },
      to: { path: '^src/(app\\.ts|api/|cli/|composition/)' },
    },
    {
      name: 'agent-runner-holds-no-hub-state',
      comment:
        'the agent runs inside the private network with its own configuration: no store, engine, flows or hub services',
      severity: 'error',
      from: { path: '^src/agent/runner/' },
      to: { path: '^src/(store|engine|hub|flows|insights|mapping|validation|composition|api)/' },
    },
    {
      name: 'agent-relay-is-transport',
      comment: "the hub's side of agents: the call queue in the store and a connector transport; no flows or engine",
      severity: 'error',
      from: { path: '^src/agent/' },
      to: { path: '^src/(engine|hub|flows|mapping|validation|composition|api|cli)/' },
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
