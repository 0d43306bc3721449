/**
 * The console's typed API client is generated from this API's own
 * /openapi.json (openapi-typescript), so a route or schema change that the
 * console's types do not know of fails here. `npm run console:api-types`
 * rewrites the file.
 */
import fs from 'node:fs';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from './helpers/server.js';

const TYPES_FILE = new URL('../src/console/src/api-types.ts', import.meta.url);
const HEADER = '/** Generated from /openapi.json by `npm run console:api-types`; do not edit. */\n';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

describe('console API types', () => {
  it('match the OpenAPI document the API serves', async () => {
    const doc = (await call(server, 'GET', '/openapi.json', undefined, { key: null })).body;
    const generated = HEADER + astToString(await openapiTS(doc, { alphabetize: true }));
    if (process.env.GRIDHOOK_WRITE_API_TYPES === '1') fs.writeFileSync(TYPES_FILE, generated);
    expect(fs.readFileSync(TYPES_FILE, 'utf8')).toBe(generated);
  });
});
