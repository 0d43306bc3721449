/**
 * The console's Callbacks page in Chromium: a banner names every callback
 * gridhook suspended (here: its receiver answered 410 Gone), with the reason,
 * and says its events are kept until it is activated; a user's own
 * suspension raises no banner.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole, chromiumMissing, launchChromium } from './helpers/browser.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { eventually, ok, startTestServer, type TestServer } from './helpers/server.js';

const consoleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridhook-console-'));
const missing = chromiumMissing();
let browser: Browser;
let server: TestServer;
let receiver: Receiver;

beforeAll(async () => {
  if (missing) return;
  await buildConsole(consoleDir);
  browser = await launchChromium();
  server = await startTestServer({}, { consoleDir });
  receiver = await startReceiver();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await receiver?.close();
  fs.rmSync(consoleDir, { recursive: true, force: true });
});

describe.skipIf(missing !== null)('suspended callbacks banner', () => {
  it('names the callbacks gridhook suspended, not those a user suspended', async () => {
    receiver.reply('/gone', { status: 410 });
    const gone = await ok(server, 'POST', '/v2/callbacks/create', { callBackEvent: 'InBox', callBackUrl: receiver.urlFor('/gone') });
    await ok(server, 'POST', '/v2/callbacks/create', {
      callBackEvent: 'OutBox',
      callBackUrl: receiver.urlFor('/paused-by-hand'),
      status: 'Suspended',
    });
    await ok(server, 'POST', '/v2/callbacks/events/publish', { events: [{ callBackEvent: 'InBox', mailboxId: 1 }] });
    await eventually(async () => (await ok(server, 'GET', `/v2/callbacks/${gone.callBackQueueId}`)).health === 'suspended-by-gridhook');

    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/console/`);
    await page.getByRole('button', { name: 'API key' }).click();
    await page.getByLabel('API key').fill(server.rootKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Callbacks' }).click();
    const banner = page.getByTestId('suspended-banner');
    await banner.waitFor();
    const text = await banner.textContent();
    expect(text).toMatch(/^1 callback was suspended by gridhook\. Their pending events are kept; activate a callback to send them\./);
    expect(text).toContain(`${gone.callBackQueueId} ${receiver.urlFor('/gone')}: the receiver answered 410 Gone`);
    expect(await banner.getAttribute('role')).toBe('alert');

    // The receiver is back: activating sends the kept event, and the banner goes.
    receiver.reply('/gone', { status: 200 });
    await banner.getByRole('link', { name: String(gone.callBackQueueId) }).click();
    await page.getByRole('button', { name: 'Activate' }).click();
    await page.getByRole('button', { name: 'Suspend' }).waitFor();
    await receiver.waitForRequests(2, { path: '/gone' });
    await page.getByRole('link', { name: 'Callbacks' }).click();
    await page.getByRole('heading', { name: 'Callbacks' }).waitFor();
    await page.locator('table').waitFor();
    expect(await page.getByTestId('suspended-banner').count()).toBe(0);
    await page.context().close();
  }, 60_000);
});
