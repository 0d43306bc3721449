/**
 * Serves the browser console (built by vite into dist/console during
 * `npm install`) at /console/, and sends "/" there. Every answer under
 * /console/ carries a strict Content-Security-Policy: only gridhook's own
 * scripts, styles and API, no inline script, no framing. Paths that are not
 * files are the console's own pages (client-side routes) and get index.html.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { GridhookError } from '../../errors.js';

export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The package root: the nearest folder above this module holding package.json (from src/ or dist/src/). */
function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('gridhook: cannot find the package root to serve the console from');
    dir = parent;
  }
  return dir;
}

export function defaultConsoleDir(): string {
  return path.join(packageRoot(), 'dist', 'console');
}

export async function consoleRoutes(app: FastifyInstance, options: { dir: string }): Promise<void> {
  const hide = { schema: { hide: true } };
  app.get('/', hide, async (_request, reply) => reply.redirect('/console/'));

  await app.register(async (console) => {
    console.addHook('onSend', async (_request, reply) => {
      reply.header('content-security-policy', CONSOLE_CSP);
      reply.header('x-content-type-options', 'nosniff');
      reply.header('x-frame-options', 'DENY');
      reply.header('referrer-policy', 'no-referrer');
    });
    if (!fs.existsSync(path.join(options.dir, 'index.html'))) {
      console.get('/console/*', hide, async () => {
        throw new GridhookError('ServiceUnavailable', 'The console is not built: run `npm run build` (npm install does it).');
      });
      return;
    }
    await console.register(fastifyStatic, {
      root: options.dir,
      prefix: '/console/',
      // One route per built file, so the catch-all below only sees page paths.
      wildcard: false,
      index: ['index.html'],
      setHeaders: (res, file) => {
        // Vite names assets by content hash, so they never change under one name.
        res.setHeader('cache-control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    console.get('/console', hide, async (_request, reply) => reply.redirect('/console/'));
    console.get('/console/*', hide, async (_request, reply) => {
      reply.header('cache-control', 'no-cache');
      return reply.sendFile('index.html');
    });
  });
}
