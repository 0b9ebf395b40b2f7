/**
 * Public surface of the scenario simulator.
 *
 * @example
 * import { simulate, SCENARIOS } from './simulate/index.js';
 * for (const scenario of SCENARIOS) await simulate({ scenario, seed: 1, outDir: `out/${scenario}` });
 */
export { SCENARIOS, type ScenarioName } from './scenario-name.js';
export { simulate, type SimulateOptions, type SimulateSummary } from './simulate.js';
export type { Truth, TruthCampaign, TruthLabel } from './truth.js';
export { LABEL_KINDS, type LabelKind } from './sim-event.js';
