/**
 * The import direction of src/ (docs/design.md §4): each folder may import only
 * the folders below it, never one beside or above it. `npm test` runs this.
 *
 *   index.ts and the other files at the top of src/, cli/  the composition root and its helpers
 *   channels/                                              HTTP edge: routes, adapters, webhooks
 *   bot/                                                   the turn: identity, gates, ActivityHandler
 *   dialogs/  helpdesk/  campaigns/                        flows, and registration campaigns
 *   conversation/                                          words people say
 *   presentation/                                          cards, labels, notices, QR, texts
 *   state/                                                 the person document, the directory
 *   delivery/                                              how codes reach people
 *   storage/                                               the store port and its adapters
 *   verification/                                          the rules (no botbuilder, restify or storage)
 *   kit/                                                   errors, logging
 */
const layers = [
  ['channels'],
  ['bot'],
  ['dialogs', 'helpdesk', 'campaigns'],
  ['conversation'],
  ['presentation'],
  ['state'],
  ['delivery'],
  ['storage'],
  ['verification'],
  ['kit'],
];

const below = (index) => layers.slice(index + 1).flat();

const layerRules = layers.flatMap((folders, index) =>
  folders.map((folder) => ({
    name: `layer-${folder}`,
    comment: `src/${folder}/ may import only ${below(index).join(', ') || 'nothing of ours'} (and itself)`,
    severity: 'error',
    from: { path: `^src/${folder}/` },
    to: { path: '^src/', pathNot: `^src/(${[folder, ...below(index)].join('|')})/` },
  })),
);

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'root-only-from-root',
      comment: 'The files at the top of src/ (index, config, start-up) are the composition root: nothing in a layer folder imports them.',
      severity: 'error',
      from: { path: '^src/[^/]+/', pathNot: '^src/cli/' },
      to: { path: '^src/[^/]+\\.ts$' },
    },
    {
      name: 'core-knows-no-chat',
      comment: 'The verification core knows nothing of chat, HTTP or storage implementations: I/O only through its ports.',
      severity: 'error',
      from: { path: '^src/verification/' },
      to: {
        path: 'node_modules/(botbuilder|botbuilder-dialogs|botframework-[^/]+|restify|better-sqlite3|@azure/cosmos|twilio|nodemailer|pino)/',
      },
    },
    {
      name: 'no-circular',
      comment: 'No cycles: a reader can follow any import down to the bottom.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-tests-in-src',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '^(dist|data)/' },
  },
};
