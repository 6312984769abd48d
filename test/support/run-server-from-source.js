'use strict';
// Starts the server from its TypeScript sources (compiled on the fly by ts-node with swc, the same
// compiler jest uses), so fault tests can run it as a child process without a build step.
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
require('ts-node').register({ project: path.join(root, 'tsconfig.json'), transpileOnly: true, swc: true });
require(path.join(root, 'server', 'main.ts'));
