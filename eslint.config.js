// Lint rules. The import restrictions enforce the data flow of DESIGN.md:
// dependencies point inward, and only the composition root wires stages together.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const stage = (dir, forbidden) => ({
  files: [`src/${dir}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: forbidden.map((f) => ({
          group: [`**/${f}/**`, `../${f}/*`, `../../${f}/*`],
          message: `src/${dir} must not import from src/${f} (see STYLE.md, habit 1).`,
        })),
      },
    ],
  },
});

const outer = ['api', 'cli', 'app.ts'];
const afterStore = [
  'store',
  'ingest',
  'pipeline',
  ...outer,
  'simulate',
  'enrich',
  'evaluate',
  'detect',
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  stage('domain', ['ingest', 'store', 'api', 'cli', 'simulate', 'pipeline', 'auth']),
  stage('simulate', ['ingest', 'store', 'api', 'cli', 'pipeline', 'auth', 'detect', 'enrich']),
  stage('store', ['ingest', 'api', 'cli', 'simulate', 'pipeline']),
  stage('ingest', ['store', ...outer, 'simulate']),
  stage('detect', ['store', 'ingest', 'pipeline', ...outer, 'simulate', 'evaluate']),
  stage('evaluate', ['store', 'pipeline', 'enrich', ...outer, 'simulate']),
  stage('enrich', ['store', 'ingest', 'pipeline', ...outer, 'simulate']),
  stage('pipeline', [...outer, 'simulate']),
  stage('auth', [...outer, 'simulate']),
  // The cross-account stages read the stored outcome of the per-event ones,
  // never their internals: correlate → intel (attribute, export) → report.
  stage('correlate', afterStore),
  stage('intel', [...afterStore, 'correlate']),
  stage('report', [...afterStore, 'correlate']),
  stage('graph', [
    'store',
    'ingest',
    'pipeline',
    ...outer,
    'simulate',
    'detect',
    'enrich',
    'evaluate',
  ]),
);
