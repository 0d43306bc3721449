// A callback receiver for trying gridhook locally: prints every event it gets
// and, when WEBHOOK_SECRET holds the callback's whsec_ secret, checks the
// Standard Webhooks signature. Answers 200 at once, as receivers should.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 9000);
const secret = process.env.WEBHOOK_SECRET;

function signatureValid(headers, body) {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signed = `${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`;
  const expected = Buffer.from(createHmac('sha256', key).update(signed).digest('base64'));
  return String(headers['webhook-signature'] ?? '')
    .split(' ')
    .map((entry) => Buffer.from(entry.replace(/^v1,/, '')))
    .some((given) => given.length === expected.length && timingSafeEqual(given, expected));
}

createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    const verdict = secret ? (signatureValid(req.headers, body) ? 'signature ok' : 'SIGNATURE INVALID') : 'unsigned check';
    console.log(`${req.method} ${req.url} webhook-id=${req.headers['webhook-id']} (${verdict})\n${body}\n`);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
  });
}).listen(port, '127.0.0.1', () => console.log(`receiver listening on http://127.0.0.1:${port}/webhooks/ecgrid`));
