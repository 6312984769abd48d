'use strict';
// Starts the server from its TypeScript sources (compiled on the fly by the CLI's swc require hook),
// so fault tests can run it as a child process without a build step.
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
require(path.join(root, 'cli', 'bin', 'ts-require-hook')).register(root);
require(path.join(root, 'server', 'main.ts'));
