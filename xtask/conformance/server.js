// Starts the open-source Unleash server for `cargo xtask conformance`.
//
// Everything comes from the environment the xtask sets; nothing listens
// beyond 127.0.0.1. Prints "UNLEASH READY <port>" once it serves requests.
'use strict';

const required = (name) => {
  const value = process.env[name];
  if (!value) {
    console.error(`server.js: ${name} is not set`);
    process.exit(2);
  }
  return value;
};

const port = Number(required('CONFORMANCE_UNLEASH_PORT'));
const adminToken = required('CONFORMANCE_ADMIN_TOKEN');
const clientToken = required('CONFORMANCE_CLIENT_TOKEN');

// unleash-server 7 is an ES module: load it with import(), from the
// directory the xtask installed it into (NODE_PATH does not apply to import).
const { pathToFileURL } = require('node:url');
const path = require('node:path');
const entry = path.join(required('CONFORMANCE_UNLEASH_DIR'), 'node_modules', 'unleash-server', 'dist', 'lib', 'server-impl.js');

import(pathToFileURL(entry).href)
  .catch((error) => {
    console.error(`server.js: cannot load unleash-server from ${entry}: ${error.message}`);
    process.exit(3);
  })
  .then((module) => (module.start ? module : module.default).start({
    db: {
      host: required('CONFORMANCE_PG_HOST'),
      port: Number(required('CONFORMANCE_PG_PORT')),
      user: required('CONFORMANCE_PG_USER'),
      password: process.env.CONFORMANCE_PG_PASSWORD || '',
      database: required('CONFORMANCE_PG_DATABASE'),
      ssl: false,
    },
    server: {
      host: '127.0.0.1',
      port,
      baseUriPath: '/unleash',
    },
    authentication: {
      initApiTokens: [
        {
          environment: '*',
          projects: ['*'],
          secret: adminToken,
          type: 'admin',
          tokenName: 'conformance-admin',
        },
        {
          environment: 'development',
          projects: ['default'],
          secret: clientToken,
          type: 'backend',
          tokenName: 'conformance-client',
        },
      ],
    },
    // Quiet: the xtask shows the log only when something fails.
    logLevel: 'warn',
    disableLegacyFeaturesApi: true,
    versionCheck: { enable: false },
    sendTelemetry: false,
  }))
  .then(() => {
    console.log(`UNLEASH READY ${port}`);
  })
  .catch((error) => {
    console.error(`server.js: Unleash did not start: ${error && error.stack ? error.stack : error}`);
    process.exit(4);
  });
