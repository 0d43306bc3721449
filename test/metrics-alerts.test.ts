/**
 * The alert rules and the Grafana dashboard of docs/ stay true: promtool
 * checks the rules and runs their unit tests, and every gridhook metric they
 * name is one a real server exposes.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';

const DOCS = path.resolve(import.meta.dirname, '..', 'docs');
const ALERTS = path.join(DOCS, 'prometheus', 'alerts.yml');
const DASHBOARD = path.join(DOCS, 'grafana', 'gridhook.json');

function promtool(...args: string[]): { status: number | null; output: string } {
  const run = spawnSync('promtool', args, { cwd: path.join(DOCS, 'prometheus'), encoding: 'utf8' });
  if (run.error) throw run.error;
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** The base names (no _bucket/_count/_sum) of the gridhook metrics a text names. */
function gridhookMetrics(text: string): Set<string> {
  return new Set([...text.matchAll(/\bgridhook_[a-z_]+/g)].map(([name]) => name.replace(/_(bucket|count|sum)$/, '')));
}

let server: TestServer;
let scrape: string;

beforeAll(async () => {
  // Default settings: the dashboard and the alerts need no metric that is off by default.
  server = await startTestServer();
  scrape = await (await fetch(`${server.url}/metrics`)).text();
});

afterAll(async () => {
  await server?.close();
});

describe('docs/prometheus/alerts.yml', () => {
  it('passes promtool check rules', () => {
    const { status, output } = promtool('check', 'rules', ALERTS);
    expect(output).toContain('SUCCESS: 3 rules found');
    expect(status).toBe(0);
  });

  it('fires each alert on the series it is for, and not otherwise (promtool test rules)', () => {
    const { status, output } = promtool('test', 'rules', 'alerts.test.yml');
    expect(output).toContain('SUCCESS');
    expect(status).toBe(0);
  });

  it('names only metrics gridhook exposes', () => {
    const exposed = gridhookMetrics(scrape);
    const named = gridhookMetrics(fs.readFileSync(ALERTS, 'utf8'));
    expect(named.size).toBeGreaterThan(0);
    for (const name of named) expect(exposed, name).toContain(name);
  });
});

describe('docs/grafana/gridhook.json', () => {
  it('is a dashboard whose panels name only metrics gridhook exposes', () => {
    const dashboard = JSON.parse(fs.readFileSync(DASHBOARD, 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    expect(dashboard.panels.length).toBeGreaterThanOrEqual(8);
    const exposed = gridhookMetrics(scrape);
    for (const panel of dashboard.panels) {
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
      for (const { expr } of panel.targets) {
        for (const name of gridhookMetrics(expr)) expect(exposed, `${panel.title}: ${name}`).toContain(name);
      }
    }
  });
});
